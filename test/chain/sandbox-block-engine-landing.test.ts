import {
  type Address,
  appendTransactionMessageInstructions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { afterEach, describe, expect, it } from "vitest";
import type { CachedBlockhash } from "../../src/chain/blockhash-cache.js";
import {
  type ChainClient,
  createChainClient,
  getWireSignature,
  type LandingEvent,
} from "../../src/chain/index.js";
import { systemClock } from "../../src/core/index.js";
import { FAULT_PRESETS, type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createSeededRandom } from "./fake-clock.js";
import { createFundedPayer, type Funded, MIN_TRANSFER } from "./sandbox-helpers.js";

let sandbox: RunningSandbox | undefined;
const clients: ChainClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await sandbox?.close();
  sandbox = undefined;
});

async function signTipped(
  funded: Funded,
  amount: bigint,
  blockhash: CachedBlockhash,
  tip: { account: Address; lamports: bigint },
): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(funded.payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) =>
      appendTransactionMessageInstructions(
        [
          getTransferSolInstruction({
            source: funded.payer,
            destination: funded.recipient,
            amount,
          }),
          getTransferSolInstruction({
            source: funded.payer,
            destination: tip.account,
            amount: tip.lamports,
          }),
        ],
        m,
      ),
  );
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
}

describe("landing through the sandbox's block engine and sender", () => {
  it("under congestion on every public endpoint, protected transfers all land, and the send log shows no public endpoint", async () => {
    sandbox = await startSandbox({
      endpoints: 2,
      slotMs: 100,
      faults: [FAULT_PRESETS.congestion, FAULT_PRESETS.congestion],
    });
    const { blockEngineUrl, senderUrl } = sandbox;
    expect(blockEngineUrl).not.toBeNull();
    const events: LandingEvent[] = [];
    const client = createChainClient({
      endpoints: sandbox.rpcUrls.join(","),
      clock: systemClock,
      random: createSeededRandom(17),
      blockhash: { refreshMs: 200 },
      lander: { pollIntervalMs: 100, onEvent: (event) => events.push(event) },
      privateRoutes: { jito: [blockEngineUrl as string], sender: [senderUrl as string] },
      tips: { floorUrl: `${blockEngineUrl}/api/v1/bundles/tip_floor`, percentile: 50 },
    });
    clients.push(client);
    await client.start();
    const chain = sandbox.chain;
    const funded = await createFundedPayer((address, lamports) => chain.airdrop(address, lamports));
    const blockhash = await client.blockhashes.get();
    const tipBalances = () =>
      sandbox?.tipAccounts.reduce(
        (sum, account) => sum + (chain.getAccount(account as Address)?.lamports ?? 0n),
        0n,
      ) ?? 0n;
    const before = tipBalances();
    const tips = await Promise.all(Array.from({ length: 5 }, () => client.tips.resolve()));
    for (const tip of tips) {
      expect(sandbox.tipAccounts).toContain(tip.account);
      expect(tip.lamports).toBeGreaterThanOrEqual(1_000n);
    }
    const txs = await Promise.all(
      tips.map((tip, i) => signTipped(funded, MIN_TRANSFER + BigInt(i), blockhash, tip)),
    );
    const outcomes = await Promise.all(
      txs.map((transaction) =>
        client.lander.land({
          transaction,
          lastValidBlockHeight: blockhash.lastValidBlockHeight,
          route: "protected",
        }),
      ),
    );
    expect(outcomes.map((o) => o.kind)).toEqual(Array(5).fill("confirmed"));
    // Every tip the resolver decided went to the block engine's tip accounts, on chain.
    expect(tipBalances() - before).toBe(tips.reduce((sum, tip) => sum + tip.lamports, 0n));
    for (const tx of txs) {
      const signature = getWireSignature(tx);
      const record = chain.getTransaction(signature);
      expect(record).toBeDefined();
      const sends = sandbox.sendLog.list({ signature });
      expect(sends.length).toBeGreaterThan(0);
      expect(sends.every((send) => send.route === "jito" || send.route === "sender")).toBe(true);
      expect(sends.some((send) => send.route === "jito" && send.method === "sendBundle")).toBe(
        true,
      );
    }
    // Reporting: the block engine's view of each bundle after the landing ended.
    await expect
      .poll(() => events.filter((e) => e.kind === "bundle-status").length, { timeout: 3_000 })
      .toBeGreaterThanOrEqual(5);
    const statuses = events.flatMap((e) => (e.kind === "bundle-status" ? [e.status] : []));
    expect(statuses).toContain("Landed");
  }, 30_000);
});
