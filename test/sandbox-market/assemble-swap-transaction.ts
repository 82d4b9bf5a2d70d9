import type { Instruction as JupiterInstruction } from "@jup-ag/api";
import {
  AccountRole,
  type Address,
  type AddressesByLookupTableAddress,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";

/** A /swap-instructions instruction (base64 data, web3-style keys) as a kit instruction. */
export function toKitInstruction(ix: JupiterInstruction): Instruction {
  return {
    programAddress: ix.programId as Address,
    accounts: ix.accounts.map((a) => ({
      address: a.pubkey as Address,
      role: a.isSigner
        ? a.isWritable
          ? AccountRole.WRITABLE_SIGNER
          : AccountRole.READONLY_SIGNER
        : a.isWritable
          ? AccountRole.WRITABLE
          : AccountRole.READONLY,
    })),
    data: new Uint8Array(Buffer.from(ix.data, "base64")),
  };
}

/**
 * The unsigned v0 transaction (base64 wire) a client assembles from /swap-instructions' parts,
 * compressed through the lookup tables when given.
 */
export function assembleSwapTransaction(
  feePayer: Address,
  latest: { blockhash: Blockhash; lastValidBlockHeight: bigint },
  instructions: readonly JupiterInstruction[],
  tables?: AddressesByLookupTableAddress,
): string {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
    (m) => appendTransactionMessageInstructions(instructions.map(toKitInstruction), m),
  );
  const compressed = tables
    ? compressTransactionMessageUsingAddressLookupTables(message, tables)
    : message;
  return getBase64EncodedWireTransaction(compileTransaction(compressed));
}

/** POSTs a transaction to the swap API's /cosign. */
export function postCosign(swapApiUrl: string, transaction: string): Promise<Response> {
  return fetch(`${swapApiUrl}/cosign`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ transaction }),
  });
}
