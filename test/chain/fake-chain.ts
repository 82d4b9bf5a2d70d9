import { isJsonRpcPayload, type RpcTransport } from "@solana/kit";
import { getWireSignature } from "../../src/chain/get-wire-signature.js";

interface Landed {
  slot: bigint;
  err: unknown;
  confirmed: boolean;
}

export interface FakeChainEndpoint {
  readonly transport: RpcTransport;
  /** Share of sendTransaction calls silently dropped (0–1). */
  dropRate: number;
  readonly sends: string[];
}

/**
 * A scripted chain outside the machine: blocks advance only on `produceBlock`, a received
 * transaction lands in the next block and is confirmed one block later.
 */
export function createFakeChain(options: { random?: () => number } = {}) {
  const random = options.random ?? Math.random;
  let height = 100n;
  const pending = new Map<string, string>();
  const landed = new Map<string, Landed>();
  /** Signatures whose execution fails, with the error. */
  const failures = new Map<string, unknown>();
  const calls: Record<string, number> = {};
  /** Expired blockhashes: transactions with these lastValid heights are refused once passed. */
  const lastValid = new Map<string, bigint>();

  function endpoint(): FakeChainEndpoint {
    const sends: string[] = [];
    const self: FakeChainEndpoint = {
      dropRate: 0,
      sends,
      transport: (async (config: Parameters<RpcTransport>[0]) => {
        const { payload } = config;
        if (!isJsonRpcPayload(payload)) throw new Error("bad payload");
        calls[payload.method] = (calls[payload.method] ?? 0) + 1;
        const params = payload.params as unknown[];
        const reply = (result: unknown) => ({ jsonrpc: "2.0", id: 1, result });
        switch (payload.method) {
          case "getBlockHeight":
            return reply(height);
          case "sendTransaction": {
            const wire = params[0] as string;
            sends.push(wire);
            const signature = getWireSignature(wire);
            const config = params[1] as { skipPreflight?: boolean } | undefined;
            const failure = failures.get(signature);
            if (config?.skipPreflight === false && failure !== undefined) {
              const data = { err: failure, logs: [] };
              return {
                jsonrpc: "2.0",
                id: 1,
                error: { code: -32002, message: "Transaction simulation failed", data },
              };
            }
            const limit = lastValid.get(signature);
            if (
              random() >= self.dropRate &&
              !landed.has(signature) &&
              (limit === undefined || height <= limit)
            ) {
              pending.set(signature, wire);
            }
            return reply(signature);
          }
          case "getSignatureStatuses": {
            const signatures = params[0] as string[];
            return reply({
              context: { slot: height },
              value: signatures.map((s) => {
                const tx = landed.get(s);
                if (tx === undefined) return null;
                return {
                  slot: tx.slot,
                  confirmations: tx.confirmed ? 1n : 0n,
                  err: tx.err,
                  confirmationStatus: tx.confirmed ? "confirmed" : "processed",
                  status: tx.err === null ? { Ok: null } : { Err: tx.err },
                };
              }),
            });
          }
          default:
            throw new Error(`fake chain: no ${payload.method}`);
        }
      }) as RpcTransport,
    };
    return self;
  }

  return {
    endpoint,
    calls,
    failures,
    lastValid,
    getHeight: () => height,
    isLanded: (signature: string) => landed.has(signature),
    produceBlock() {
      height += 1n;
      for (const tx of landed.values()) tx.confirmed = true;
      for (const signature of pending.keys()) {
        const limit = lastValid.get(signature);
        if (limit !== undefined && height > limit) continue;
        landed.set(signature, {
          slot: height,
          err: failures.get(signature) ?? null,
          confirmed: false,
        });
      }
      pending.clear();
    },
  };
}
