import { AccountRole, type Instruction } from "@solana/kit";

/** Jupiter's instruction JSON: `{programId, accounts:[{pubkey,isSigner,isWritable}], data}` (base64). */
export function serializeInstruction(instruction: Instruction) {
  return {
    programId: instruction.programAddress,
    accounts: (instruction.accounts ?? []).map((meta) => ({
      pubkey: meta.address,
      isSigner:
        meta.role === AccountRole.READONLY_SIGNER || meta.role === AccountRole.WRITABLE_SIGNER,
      isWritable: meta.role === AccountRole.WRITABLE || meta.role === AccountRole.WRITABLE_SIGNER,
    })),
    data: Buffer.from(instruction.data ?? new Uint8Array()).toString("base64"),
  };
}
