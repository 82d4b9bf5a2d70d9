import {
  AccountRole,
  type Address,
  address,
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  type Instruction,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { bytesToBase58 } from "../../src/sandbox/encoding/base58.js";

/** A valid 32-byte address starting with Jito's guard prefix. */
export const DONT_FRONT = address("jitodontfront111111111111111111111111111111");

export interface SignedTx {
  base64: string;
  base58: string;
  signature: string;
}

/** A System transfer, optionally carrying a read-only guard account (ignored by the program). */
export function transfer(
  from: KeyPairSigner,
  to: Address,
  lamports: bigint,
  guard?: Address,
): Instruction {
  const ix = getTransferSolInstruction({ source: from, destination: to, amount: lamports });
  if (!guard) return ix;
  return {
    ...ix,
    accounts: [...(ix.accounts ?? []), { address: guard, role: AccountRole.READONLY }],
  };
}

/** Signs a v0 transaction of `instructions` paid by `payer` at `blockhash`. */
export async function signTx(
  payer: KeyPairSigner,
  instructions: Instruction[],
  blockhash: string,
): Promise<SignedTx> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(blockhash), lastValidBlockHeight: 0n },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const signed = await signTransactionMessageWithSigners(message);
  const base64 = getBase64EncodedWireTransaction(signed) as string;
  return {
    base64,
    base58: bytesToBase58(new Uint8Array(Buffer.from(base64, "base64"))),
    signature: getSignatureFromTransaction(signed) as string,
  };
}

/** A JSON-RPC POST to a block engine path; answers status, headers and parsed body. */
export async function postRpc(url: string, method: string, params: unknown[] = []) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON at the test boundary
  const body: any = JSON.parse(await response.text());
  return { status: response.status, headers: response.headers, body };
}
