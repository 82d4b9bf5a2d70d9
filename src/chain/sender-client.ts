import type { RpcTransport, Signature } from "@solana/kit";
import { z } from "zod";
import { readResult } from "./jito-client.js";

/**
 * A landing service that takes a tipped transaction over plain JSON-RPC `sendTransaction`
 * (e.g. Helius Sender), at its URL as given: no preflight, no retries of its own.
 */
export interface SenderClient {
  readonly label: string;
  sendTransaction(transaction: string): Promise<Signature>;
}

export function createSenderClient(transport: RpcTransport, label: string): SenderClient {
  let nextId = 1;
  return {
    label,
    async sendTransaction(transaction) {
      const response = await transport({
        payload: {
          jsonrpc: "2.0",
          id: nextId++,
          method: "sendTransaction",
          params: [transaction, { encoding: "base64", skipPreflight: true, maxRetries: 0 }],
        },
      });
      const result = readResult(response, label, "sendTransaction");
      return z.string().parse(result) as Signature;
    },
  };
}
