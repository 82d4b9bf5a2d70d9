import {
  type Address,
  appendTransactionMessageInstruction,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  isJsonRpcPayload,
  type KeyPairSigner,
  pipe,
  type RpcTransport,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import type { CachedBlockhash } from "../../src/chain/blockhash-cache.js";
import { createEndpointHttpTransport } from "../../src/chain/http-transport.js";
import type { RpcEndpointConfig } from "../../src/chain/parse-rpc-endpoints.js";

/** An HTTP transport factory that counts the calls each endpoint receives, by method. */
export function createCountingHttp() {
  const counts = new Map<string, Map<string, number>>();
  return {
    count: (label: string, method: string) => counts.get(label)?.get(method) ?? 0,
    total: (method: string) =>
      [...counts.values()].reduce((n, byMethod) => n + (byMethod.get(method) ?? 0), 0),
    createHttpTransport(endpoint: RpcEndpointConfig): RpcTransport {
      const inner = createEndpointHttpTransport(endpoint);
      const byMethod = new Map<string, number>();
      counts.set(endpoint.label, byMethod);
      return ((config: Parameters<RpcTransport>[0]) => {
        const method = isJsonRpcPayload(config.payload) ? config.payload.method : "unknown";
        byMethod.set(method, (byMethod.get(method) ?? 0) + 1);
        return inner(config);
      }) as RpcTransport;
    },
  };
}

export interface Funded {
  readonly payer: KeyPairSigner;
  readonly recipient: Address;
}

export async function createFundedPayer(
  airdrop: (address: Address, lamports: bigint) => unknown,
): Promise<Funded> {
  const payer = await generateKeyPairSigner();
  airdrop(payer.address, 100_000_000_000n);
  return { payer, recipient: (await generateKeyPairSigner()).address };
}

/** Enough for the recipient to be rent-exempt: a smaller first transfer fails on chain. */
export const MIN_TRANSFER = 1_000_000n;

/** A signed SOL transfer (wire base64); distinct amounts give distinct signatures. */
export async function signTransfer(
  funded: Funded,
  amount: bigint,
  blockhash: CachedBlockhash,
): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(funded.payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) =>
      appendTransactionMessageInstruction(
        getTransferSolInstruction({ source: funded.payer, destination: funded.recipient, amount }),
        m,
      ),
  );
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
}
