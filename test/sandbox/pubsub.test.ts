import {
  createSolanaRpcSubscriptions,
  generateKeyPairSigner,
  type KeyPairSigner,
  type Signature,
} from "@solana/kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { RunningSandbox } from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { rawRpc, signTransferAtLatest } from "./rpc-helpers.js";

let sandbox: RunningSandbox;
let url: string;
let payer: KeyPairSigner;
const controllers: AbortController[] = [];

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox({ manualClock: true }));
});

afterAll(async () => {
  for (const controller of controllers) controller.abort();
  await sandbox.close();
});

function subscriptions() {
  const controller = new AbortController();
  controllers.push(controller);
  return {
    rpcSubscriptions: createSolanaRpcSubscriptions(sandbox.wsUrls[0] as string),
    signal: controller.signal,
    controller,
  };
}

async function sendTransfer(to: string, amount: bigint) {
  const { wire, signature } = await signTransferAtLatest(url, payer, to, amount);
  await rawRpc(url, "sendTransaction", [wire, { encoding: "base64", skipPreflight: true }]);
  return signature as Signature;
}

/** The first value of a kit subscription, taken after `trigger` runs. */
async function firstNotification<T>(
  iterable: AsyncIterable<T>,
  trigger: () => Promise<unknown> | unknown,
): Promise<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  const next = iterator.next();
  await trigger();
  const { value } = await next;
  return value as T;
}

describe("PubSub over WebSocket (port + 1)", () => {
  it("notifies slots", async () => {
    const { rpcSubscriptions, signal } = subscriptions();
    const slots = await rpcSubscriptions.slotNotifications().subscribe({ abortSignal: signal });
    const tip = sandbox.chain.getSlot("processed");
    const note = await firstNotification(slots, () => sandbox.chain.advance(1));
    expect(note).toEqual({ parent: tip, root: sandbox.chain.getSlot("finalized"), slot: tip + 1n });
  });

  it("notifies a signature once it reaches the requested commitment", async () => {
    const { rpcSubscriptions, signal } = subscriptions();
    const recipient = await generateKeyPairSigner();
    const signature = await sendTransfer(recipient.address, 1_000_000n);
    const notifications = await rpcSubscriptions
      .signatureNotifications(signature, { commitment: "confirmed" })
      .subscribe({ abortSignal: signal });
    const note = await firstNotification(notifications, () => sandbox.chain.advance(1));
    expect(note.value).toEqual({ err: null });
    // The context slot is the confirmed bank's: a confirmed read with that minContextSlot succeeds.
    expect(note.context.slot).toBe(sandbox.chain.getSlot("confirmed"));
    const read = await rawRpc(url, "getBalance", [
      recipient.address,
      { commitment: "confirmed", minContextSlot: Number(note.context.slot) },
    ]);
    expect(read.body.result.value).toBe(1_000_000);
  });

  it("notifies account changes (base64 and jsonParsed)", async () => {
    const { rpcSubscriptions, signal } = subscriptions();
    const recipient = await generateKeyPairSigner();
    const processed = await rpcSubscriptions
      .accountNotifications(recipient.address, { commitment: "processed", encoding: "base64" })
      .subscribe({ abortSignal: signal });
    const note = await firstNotification(processed, async () => {
      await sendTransfer(recipient.address, 3_000_000n);
      sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    });
    expect(note.value.lamports).toBe(3_000_000n);
    expect(note.value.data).toEqual(["", "base64"]);

    const confirmed = await rpcSubscriptions
      .accountNotifications(recipient.address, { commitment: "confirmed", encoding: "jsonParsed" })
      .subscribe({ abortSignal: signal });
    const later = await firstNotification(confirmed, async () => {
      await sendTransfer(recipient.address, 1_000_000n);
      sandbox.chain.advance(1);
    });
    expect(later.value.lamports).toBe(4_000_000n);
  });

  it("ends a signature subscription after its notification, as mainnet does", async () => {
    const socket = new WebSocket(sandbox.wsUrls[0] as string);
    await new Promise((resolve) => socket.once("open", resolve));
    const messages: unknown[] = [];
    const waitFor = (count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (messages.length >= count ? resolve() : socket.once("message", check));
        check();
      });
    socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
    const recipient = await generateKeyPairSigner();
    const signature = await sendTransfer(recipient.address, 1_000_000n);
    socket.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "signatureSubscribe",
        params: [signature, { commitment: "processed" }],
      }),
    );
    await waitFor(1);
    sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    await waitFor(2);
    const [subscribed, notification] = messages as [
      { result: number },
      { method: string; params: { subscription: number } },
    ];
    expect(notification.method).toBe("signatureNotification");
    expect(notification.params.subscription).toBe(subscribed.result);
    socket.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "signatureUnsubscribe",
        params: [subscribed.result],
      }),
    );
    socket.send("not json");
    socket.send(JSON.stringify({ jsonrpc: "2.0", id: 3, method: "blockSubscribe", params: [] }));
    await waitFor(5);
    expect(messages.slice(2)).toEqual([
      { jsonrpc: "2.0", error: { code: -32602, message: "Invalid subscription id." }, id: 2 },
      { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null },
      { jsonrpc: "2.0", error: { code: -32601, message: "Method not found" }, id: 3 },
    ]);
    socket.close();
  });
});
