import { Agent, request } from "node:http";
import {
  type Address,
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getSetComputeUnitPriceInstruction } from "@solana-program/compute-budget";
import { getTransferSolInstruction } from "@solana-program/system";

export interface RawResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON at the test boundary
  body: any;
}

/** A raw JSON-RPC call, to assert exact wire shapes and error codes. */
export async function rawRpc(
  url: string,
  method: string,
  params: unknown[] = [],
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) };
}

export async function postJson(url: string, body: unknown): Promise<RawResponse> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: JSON.parse(await response.text()),
  };
}

/** The latest blockhash at processed commitment, through the RPC. */
export async function getProcessedBlockhash(url: string): Promise<string> {
  const latest = await rawRpc(url, "getLatestBlockhash", [{ commitment: "processed" }]);
  return latest.body.result.value.blockhash as string;
}

/** A signed SOL transfer (optionally with a compute-unit price), as base64 wire + signature. */
export async function signTransfer(
  payer: KeyPairSigner,
  to: Address,
  amount: bigint,
  recentBlockhash: string,
  microLamportsPerCu?: bigint,
) {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(recentBlockhash), lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          ...(microLamportsPerCu === undefined
            ? []
            : [getSetComputeUnitPriceInstruction({ microLamports: microLamportsPerCu })]),
          getTransferSolInstruction({ source: payer, destination: to, amount }),
        ],
        m,
      ),
  );
  const signed = await signTransactionMessageWithSigners(message);
  return {
    wire: getBase64EncodedWireTransaction(signed) as string,
    signature: getSignatureFromTransaction(signed) as string,
  };
}

/** A signed SOL transfer at the RPC's latest processed blockhash. */
export async function signTransferAtLatest(
  url: string,
  payer: KeyPairSigner,
  to: string,
  amount: bigint,
) {
  return signTransfer(payer, to as Address, amount, await getProcessedBlockhash(url));
}

/**
 * Raw POSTs over keep-alive sockets (node:http; one unless told): fetch costs several ms per
 * call here, which tests of the sandbox's throughput and its benches cannot afford.
 */
export function createKeepAlivePoster(url: string, sockets = 1) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(url);
  const post = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: hostname,
          port,
          method: "POST",
          path: "/",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
