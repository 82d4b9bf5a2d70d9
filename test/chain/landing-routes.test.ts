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
  type ChainClientOptions,
  createChainClient,
  getWireSignature,
  type LandingEvent,
} from "../../src/chain/index.js";
import { isOspreyError, systemClock } from "../../src/core/index.js";
import { createMetricsRegistry } from "../../src/metrics/index.js";
import {
  type FaultProfileInput,
  type RunningSandbox,
  startSandbox,
} from "../../src/sandbox/index.js";
import { type FakeBlockEngine, startFakeBlockEngine } from "./fake-block-engine.js";
import { createSeededRandom } from "./fake-clock.js";
import {
  createCountingHttp,
  createFundedPayer,
  type Funded,
  MIN_TRANSFER,
} from "./sandbox-helpers.js";

let sandbox: RunningSandbox | undefined;
const engines: FakeBlockEngine[] = [];
const clients: ChainClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const engine of engines.splice(0)) await engine.close();
  await sandbox?.close();
  sandbox = undefined;
});

interface SetupOptions {
  readonly faults?: FaultProfileInput[];
  readonly jito?: number;
  readonly sender?: number;
  readonly client?: Partial<ChainClientOptions>;
}

async function setup(options: SetupOptions = {}) {
  const faults = options.faults ?? [{}, {}];
  sandbox = await startSandbox({ endpoints: faults.length, slotMs: 100, faults });
  const chain = sandbox.chain;
  const jito: FakeBlockEngine[] = [];
  for (let i = 0; i < (options.jito ?? 1); i += 1) jito.push(await startFakeBlockEngine(chain));
  const tipAccounts = jito[0]?.tipAccounts;
  const sender: FakeBlockEngine[] = [];
  for (let i = 0; i < (options.sender ?? 1); i += 1) {
    sender.push(
      await startFakeBlockEngine(chain, {
        sender: true,
        ...(tipAccounts === undefined ? {} : { tipAccounts }),
      }),
    );
  }
  engines.push(...jito, ...sender);
  const http = createCountingHttp();
  const registry = createMetricsRegistry({ defaultMetrics: false });
  const events: LandingEvent[] = [];
  const client = createChainClient({
    endpoints: sandbox.rpcUrls.join(","),
    clock: systemClock,
    random: createSeededRandom(5),
    registry,
    createHttpTransport: http.createHttpTransport,
    blockhash: { refreshMs: 200 },
    lander: { rebroadcastMs: 300, pollIntervalMs: 100, onEvent: (e) => events.push(e) },
    privateRoutes: { jito: jito.map((e) => e.url), sender: sender.map((e) => e.url) },
    ...(jito[0] === undefined
      ? {}
      : { tips: { floorUrl: `${jito[0].url}/api/v1/bundles/tip_floor` } }),
    ...options.client,
  });
  clients.push(client);
  await client.start();
  const funded = await createFundedPayer((address, lamports) => chain.airdrop(address, lamports));
  return { sandbox, chain, client, http, registry, funded, jito, sender, events };
}

/** A transfer that also pays `tip` to `tipAccount` in the same transaction. */
async function signTipped(
  funded: Funded,
  amount: bigint,
  blockhash: CachedBlockhash,
  tipAccount: Address,
  tip = 1_000n,
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
          getTransferSolInstruction({ source: funded.payer, destination: tipAccount, amount: tip }),
        ],
        m,
      ),
  );
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
}

const sendsTo = (engine: FakeBlockEngine) =>
  engine.calls.filter((c) => c.method === "sendBundle" || c.method === "sendTransaction").length;

describe("landing routes (sandbox RPC + block engine and sender on 127.0.0.1)", () => {
  it("a protected landing reaches only the private routes, never a public RPC endpoint", async () => {
    const { client, http, funded, jito, sender, chain, registry } = await setup({
      client: { lander: { rebroadcastMs: 300, pollIntervalMs: 100, preflight: true } },
    });
    const seen: LandingEvent[] = [];
    const blockhash = await client.blockhashes.get();
    const tip = await client.tips.resolve(5_000n);
    const tx = await signTipped(funded, MIN_TRANSFER, blockhash, tip.account, tip.lamports);
    const outcome = await client.lander.land({
      transaction: tx,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
      route: "protected",
      onEvent: (event) => seen.push(event),
    });
    expect(outcome.kind).toBe("confirmed");
    expect(chain.getTransaction(getWireSignature(tx))).toBeDefined();
    // Not one send and not one preflight simulation on the public endpoints.
    expect(http.total("sendTransaction")).toBe(0);
    expect(http.total("simulateTransaction")).toBe(0);
    const [engine] = jito as [FakeBlockEngine];
    const [relay] = sender as [FakeBlockEngine];
    expect(engine.callsTo("sendBundle")).toBeGreaterThanOrEqual(1);
    expect(engine.calls.find((c) => c.method === "sendBundle")?.params).toEqual([
      [tx],
      { encoding: "base64" },
    ]);
    expect(relay.callsTo("sendTransaction")).toBeGreaterThanOrEqual(1);
    expect(relay.calls.find((c) => c.method === "sendTransaction")?.params).toEqual([
      tx,
      { encoding: "base64", skipPreflight: true, maxRetries: 0 },
    ]);
    expect(seen[0]).toMatchObject({ kind: "first-send", endpoints: 2 });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/landing_sends_total\{route="jito",result="accepted"\} [1-9]/);
    expect(metrics).not.toMatch(/landing_sends_total\{route="rpc"/);
    // Reporting: the block engine's in-flight status of the bundle, read after the landing ended.
    await expect
      .poll(() => seen.find((e) => e.kind === "bundle-status"), { timeout: 2_000 })
      .toMatchObject({ kind: "bundle-status", route: engine.url, status: "Landed" });
    expect(await registry.metrics()).toContain('jito_bundle_statuses_total{status="Landed"}');
  }, 20_000);

  it("a public landing reaches every RPC endpoint and every private route", async () => {
    const { client, http, funded, jito, sender } = await setup({
      // Every public copy is dropped: the transaction lands through the private routes.
      faults: [{ dropSendRate: 1 }, { dropSendRate: 1 }],
    });
    const blockhash = await client.blockhashes.get();
    const tip = await client.tips.resolve();
    const tx = await signTipped(funded, MIN_TRANSFER, blockhash, tip.account, tip.lamports);
    const outcome = await client.lander.land({
      transaction: tx,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
    });
    expect(outcome.kind).toBe("confirmed");
    const labels = client.pool.endpoints.map((e) => e.config.label);
    for (const label of labels) expect(http.count(label, "sendTransaction")).toBeGreaterThan(0);
    expect(sendsTo(jito[0] as FakeBlockEngine)).toBeGreaterThan(0);
    expect(sendsTo(sender[0] as FakeBlockEngine)).toBeGreaterThan(0);
  }, 20_000);

  it("a protected landing without a private route fails with MEV_PROTECTION_UNAVAILABLE and sends nothing", async () => {
    const { client, http, funded } = await setup({
      jito: 0,
      sender: 0,
      client: { lander: { preflight: true, pollIntervalMs: 100 } },
    });
    expect(client.landingRoutes.hasPrivate()).toBe(false);
    const blockhash = await client.blockhashes.get();
    const tx = await signTipped(funded, MIN_TRANSFER, blockhash, funded.recipient);
    const error = await client.lander
      .land({
        transaction: tx,
        lastValidBlockHeight: blockhash.lastValidBlockHeight,
        route: "protected",
      })
      .catch((e: unknown) => e);
    expect(isOspreyError(error, "MEV_PROTECTION_UNAVAILABLE")).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 700)); // two rebroadcast periods
    expect(http.total("sendTransaction")).toBe(0);
    expect(http.total("simulateTransaction")).toBe(0);
    expect(client.lander.inFlight()).toBe(0);
    await expect(client.tips.resolve()).rejects.toMatchObject({
      code: "MEV_PROTECTION_UNAVAILABLE",
    });
  }, 20_000);

  it("an untipped bundle is refused with Jito's error; a tipped one lands through the private routes", async () => {
    const { client, funded, jito, registry, chain } = await setup({ jito: 1, sender: 1 });
    const blockhash = await client.blockhashes.get();
    // Tips nobody: the block engine refuses it as Jito does, with Jito's JSON-RPC error.
    const untipped = await signTipped(funded, MIN_TRANSFER, blockhash, funded.recipient);
    const engine = client.landingRoutes.blockEngines[0];
    const refusal = await engine?.sendBundle([untipped]).catch((e: unknown) => e);
    expect(refusal).toMatchObject({
      code: "BLOCK_ENGINE_ERROR",
      context: { method: "sendBundle", rpcCode: -32602 },
    });
    // Jito's refusals come as HTTP 400 + a JSON-RPC error: the request's fault, not the engine's,
    // so many of them leave its breaker closed.
    for (let i = 0; i < 8; i += 1) await engine?.sendBundle([untipped]).catch(() => {});
    expect(client.landingRoutes.private[0]?.isAvailable()).toBe(true);
    const tip = await client.tips.resolve();
    const tipped = await signTipped(funded, MIN_TRANSFER + 1n, blockhash, tip.account);
    const outcome = await client.lander.land({
      transaction: tipped,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
      route: "protected",
    });
    expect(outcome.kind).toBe("confirmed");
    expect(chain.getTransaction(getWireSignature(untipped))).toBeUndefined();
    expect(jito[0]?.callsTo("sendBundle")).toBeGreaterThanOrEqual(2);
    expect(await registry.metrics()).toMatch(
      /landing_sends_total\{route="sender",result="accepted"\}/,
    );
  }, 20_000);

  it("a block engine failing with 5xx opens its breaker: copies stop going there, the sender still lands", async () => {
    const { client, funded, jito, chain } = await setup({
      client: { lander: { rebroadcastMs: 100, pollIntervalMs: 100 }, resetAfterMs: 60_000 },
    });
    const engine = jito[0] as FakeBlockEngine;
    engine.failWithStatus = 503;
    const relay = engines[1] as FakeBlockEngine;
    relay.dropBundles = true; // the sender accepts but nothing lands: the landing keeps going
    const blockhash = await client.blockhashes.get();
    const tx = await signTipped(funded, MIN_TRANSFER, blockhash, engine.tipAccounts[0] as Address);
    const landing = client.lander.land({
      transaction: tx,
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
      route: "protected",
    });
    await expect.poll(() => client.landingRoutes.private[0]?.isAvailable()).toBe(false);
    const atOpen = sendsTo(engine);
    expect(atOpen).toBeGreaterThanOrEqual(5); // the default strategy: 5 failures in a row
    relay.dropBundles = false;
    const outcome = await landing;
    expect(outcome.kind).toBe("confirmed");
    expect(sendsTo(engine)).toBe(atOpen);
    expect(chain.getTransaction(getWireSignature(tx))).toBeDefined();
  }, 20_000);
});
