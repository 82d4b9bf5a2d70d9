import { afterEach, describe, expect, it } from "vitest";
import { type ChainClient, createChainClient } from "../../src/chain/index.js";
import type { LandingOutcome } from "../../src/chain/landing-types.js";
import { systemClock } from "../../src/core/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import {
  type FaultProfileInput,
  type RunningSandbox,
  startSandbox,
} from "../../src/sandbox/index.js";
import { createSeededRandom } from "./fake-clock.js";
import {
  createCountingHttp,
  createFundedPayer,
  MIN_TRANSFER,
  signTransfer,
} from "./sandbox-helpers.js";

let sandbox: RunningSandbox | undefined;
const clients: ChainClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await sandbox?.close();
  sandbox = undefined;
});

/** Fast slots (the 150-block validity is then 150 × slotMs) and a quick rebroadcast. */
async function setup(faults: FaultProfileInput[], slotMs: number, rebroadcastMs = 300) {
  sandbox = await startSandbox({ endpoints: faults.length, slotMs, faults });
  const http = createCountingHttp();
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const client = createChainClient({
    endpoints: sandbox.rpcUrls.join(","),
    clock: systemClock,
    random: createSeededRandom(3),
    registry,
    createHttpTransport: http.createHttpTransport,
    blockhash: { refreshMs: 200 },
    lander: { rebroadcastMs, pollIntervalMs: 100 },
  });
  clients.push(client);
  await client.start();
  const chain = sandbox.chain;
  const funded = await createFundedPayer((address, lamports) => chain.airdrop(address, lamports));
  const confirmedHeight = () => chain.getBlock(chain.getSlot("confirmed")).blockHeight;
  return { sandbox, client, http, registry, funded, confirmedHeight };
}

describe("lander against the sandbox", () => {
  it("with 50% of sends dropped on every endpoint, 100 transfers all land before expiry", async () => {
    const { client, funded, registry } = await setup(
      [{ dropSendRate: 0.5 }, { dropSendRate: 0.5 }, { dropSendRate: 0.5 }],
      100, // 15 s of validity
      1_000, // the in-process sandbox serves ~150 sends/s: don't flood it with 100 × 3 copies
    );
    const blockhash = await client.blockhashes.get();
    const txs = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        signTransfer(funded, MIN_TRANSFER + BigInt(i), blockhash),
      ),
    );
    const outcomes = await Promise.all(
      txs.map((transaction) =>
        client.lander.land({ transaction, lastValidBlockHeight: blockhash.lastValidBlockHeight }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === "confirmed").length).toBe(100);
    expect(await registry.metrics()).toContain(
      'transactions_landed_total{outcome="confirmed"} 100',
    );
  }, 30_000);

  it("with every send dropped, each resolves expired only after its blockhash expires", async () => {
    const { client, funded, confirmedHeight } = await setup(
      [{ dropSendRate: 1 }, { dropSendRate: 1 }],
      10,
    );
    const blockhash = await client.blockhashes.get();
    const txs = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        signTransfer(funded, MIN_TRANSFER + BigInt(i), blockhash),
      ),
    );
    const heightsAtResolution: bigint[] = [];
    const outcomes = await Promise.all(
      txs.map((transaction) =>
        client.lander
          .land({ transaction, lastValidBlockHeight: blockhash.lastValidBlockHeight })
          .then((outcome: LandingOutcome) => {
            heightsAtResolution.push(confirmedHeight());
            return outcome;
          }),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        kind: "expired",
        lastValidBlockHeight: blockhash.lastValidBlockHeight,
      });
    }
    for (const height of heightsAtResolution)
      expect(height).toBeGreaterThan(blockhash.lastValidBlockHeight);
  }, 30_000);

  it("a transaction that fails on chain resolves failed with the error, once, and is not rebroadcast", async () => {
    const { client, funded, http } = await setup([{}, {}], 50);
    const blockhash = await client.blockhashes.get();
    // More than the payer holds: lands (fee charged) with an instruction error.
    const tx = await signTransfer(funded, 10n ** 15n, blockhash);
    const events: string[] = [];
    let resolutions = 0;
    const outcome = await client.lander
      .land({
        transaction: tx,
        lastValidBlockHeight: blockhash.lastValidBlockHeight,
        onEvent: (event) => events.push(event.kind),
      })
      .finally(() => (resolutions += 1));
    expect(outcome.kind).toBe("failed");
    expect(outcome.kind === "failed" && outcome.error).toMatchObject({
      InstructionError: [0n, expect.anything()],
    });
    const sends = http.total("sendTransaction");
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // > 3 rebroadcast periods
    expect(http.total("sendTransaction")).toBe(sends);
    expect(resolutions).toBe(1);
    expect(events[0]).toBe("first-send");
  });

  it("resumes a landing after a restart from the stored bytes and lastValidBlockHeight", async () => {
    const { sandbox: sb, client, funded } = await setup([{ dropSendRate: 1 }], 50);
    const blockhash = await client.blockhashes.get();
    const tx = await signTransfer(funded, MIN_TRANSFER, blockhash);
    const first = client.lander.land({
      transaction: tx,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
    });
    first.catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.close(); // the process "crashes" with the transaction unlanded
    await sb.setFaults(0, { dropSendRate: 0 });
    const restarted = createChainClient({
      endpoints: sb.rpcUrls.join(","),
      clock: systemClock,
      random: Math.random,
    });
    clients.push(restarted);
    const outcome = await restarted.lander.resume({
      transaction: tx,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
    });
    expect(outcome.kind).toBe("confirmed");
  });
});
