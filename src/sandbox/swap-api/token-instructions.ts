import {
  AccountRole,
  type Address,
  getAddressEncoder,
  getProgramDerivedAddress,
  type Instruction,
  type TransactionSigner,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import * as t22 from "@solana-program/token-2022";
import { TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { MintState } from "../market/mint-state.js";

const validationAccounts = new Map<string, Address>();

/** The hook's extra-account-metas PDA for a mint, remembered (few hooked mints exist). */
async function getValidationAccount(hookProgram: Address, mint: Address): Promise<Address> {
  const key = `${hookProgram}:${mint}`;
  const known = validationAccounts.get(key);
  if (known) return known;
  const [validation] = await getProgramDerivedAddress({
    programAddress: hookProgram,
    seeds: ["extra-account-metas", getAddressEncoder().encode(mint)],
  });
  if (validationAccounts.size >= 4096) validationAccounts.clear();
  validationAccounts.set(key, validation);
  return validation;
}

/** transferChecked, plus the hook's validation account and program when the mint has a hook. */
export async function transferTokens(
  mint: MintState,
  source: Address,
  destination: Address,
  authority: TransactionSigner,
  amount: bigint,
): Promise<Instruction> {
  const instruction = t22.getTransferCheckedInstruction(
    { source, mint: mint.address, destination, authority, amount, decimals: mint.decimals },
    { programAddress: mint.program },
  );
  const hook = mint.extensions.find((e) => e.__kind === "TransferHook");
  if (!hook) return instruction;
  const validation = await getValidationAccount(hook.programId, mint.address);
  return {
    ...instruction,
    accounts: [
      ...instruction.accounts,
      { address: validation, role: AccountRole.READONLY },
      { address: hook.programId, role: AccountRole.READONLY },
    ],
  };
}

export function createTokenAccount(
  payer: TransactionSigner,
  ata: Address,
  owner: Address,
  mint: MintState,
): Instruction {
  return t22.getCreateAssociatedTokenIdempotentInstruction({
    payer,
    ata,
    owner,
    mint: mint.address,
    tokenProgram: mint.program,
  });
}

export function transferLamports(
  source: TransactionSigner,
  destination: Address,
  amount: bigint,
): Instruction {
  return getTransferSolInstruction({ source, destination, amount });
}

/** Credits lamports sent to a wSOL account to its token amount. */
export function syncNative(account: Address): Instruction {
  return t22.getSyncNativeInstruction({ account }, { programAddress: TOKEN_PROGRAM });
}

export function mintTokens(
  mint: MintState,
  token: Address,
  authority: TransactionSigner,
  amount: bigint,
): Instruction {
  return t22.getMintToCheckedInstruction(
    { mint: mint.address, token, mintAuthority: authority, amount, decimals: mint.decimals },
    { programAddress: mint.program },
  );
}

export function burnTokens(
  mint: MintState,
  account: Address,
  authority: TransactionSigner,
  amount: bigint,
): Instruction {
  return t22.getBurnCheckedInstruction(
    { account, mint: mint.address, authority, amount, decimals: mint.decimals },
    { programAddress: mint.program },
  );
}

export function thawTokenAccount(
  mint: MintState,
  account: Address,
  freezeAuthority: TransactionSigner,
): Instruction {
  return t22.getThawAccountInstruction(
    { account, mint: mint.address, owner: freezeAuthority },
    { programAddress: mint.program },
  );
}
