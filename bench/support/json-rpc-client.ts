import { createKeepAlivePoster } from "../../test/sandbox/rpc-helpers.js";
import { sleep } from "./spawn-serve.js";

export interface JsonRpcClient {
  /** The call's `result`; throws with the error object when the answer is an error. */
  call<T = unknown>(method: string, params: unknown[]): Promise<T>;
  close(): void;
}

/** JSON-RPC over `sockets` keep-alive connections: fetch costs more per call than a bench can. */
export function createJsonRpcClient(url: string, sockets = 1): JsonRpcClient {
  const { post, close } = createKeepAlivePoster(url, sockets);
  let id = 0;
  return {
    async call<T>(method: string, params: unknown[]) {
      id += 1;
      const { text } = await post(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
      const answer = JSON.parse(text) as { result?: T; error?: unknown };
      if (answer.error !== undefined) throw new Error(`${method}: ${JSON.stringify(answer.error)}`);
      return answer.result as T;
    },
    close,
  };
}

export interface Outcome {
  /** Statuses visible without an error. */
  readonly landed: number;
  /** Statuses visible with an error. */
  readonly failed: number;
  /** Still without a status when the wait gave up. */
  readonly missing: number;
}

type Status = { err: unknown } | null;

/**
 * Polls `getSignatureStatuses` (256 a call, only the ones still unseen) until every signature has
 * a status or `timeoutMs` passes: a sent transaction's status may appear on a later tick.
 */
export async function waitForStatuses(
  client: JsonRpcClient,
  signatures: readonly string[],
  timeoutMs = 60_000,
): Promise<Outcome> {
  let unseen = [...signatures];
  let landed = 0;
  let failed = 0;
  const deadline = performance.now() + timeoutMs;
  while (unseen.length > 0) {
    const still: string[] = [];
    for (let i = 0; i < unseen.length; i += 256) {
      const batch = unseen.slice(i, i + 256);
      const { value } = await client.call<{ value: Status[] }>("getSignatureStatuses", [batch]);
      batch.forEach((signature, j) => {
        const status = value[j];
        if (!status) still.push(signature);
        else if (status.err === null) landed += 1;
        else failed += 1;
      });
    }
    unseen = still;
    if (unseen.length === 0 || performance.now() > deadline) break;
    await sleep(5);
  }
  return { landed, failed, missing: unseen.length };
}

/** Funds each address through `requestAirdrop` and waits until every airdrop has landed. */
export async function fundByAirdrop(
  client: JsonRpcClient,
  addresses: readonly string[],
  lamports: bigint,
): Promise<void> {
  const signatures: string[] = [];
  for (const address of addresses)
    signatures.push(await client.call<string>("requestAirdrop", [address, Number(lamports)]));
  const outcome = await waitForStatuses(client, signatures);
  if (outcome.landed !== addresses.length)
    throw new Error(`airdrops: ${JSON.stringify(outcome)} of ${addresses.length}`);
}

/** The newest blockhash the chain hands out (`processed`, as a sender racing the tip would). */
export async function getLatestBlockhash(client: JsonRpcClient): Promise<string> {
  const { value } = await client.call<{ value: { blockhash: string } }>("getLatestBlockhash", [
    { commitment: "processed" },
  ]);
  return value.blockhash;
}
