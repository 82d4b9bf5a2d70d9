import type { Address } from "@solana/kit";
import {
  isTokenProgram,
  readMint,
  readTokenAccount,
  toUiTokenAmount,
} from "../encoding/token-layout.js";
import type { SandboxAccount } from "./ledger-accounts.js";
import type { TokenBalance } from "./transaction-store.js";

/** meta.pre/postTokenBalances: one entry per token account among the transaction's keys. */
export function getTokenBalances(
  accounts: readonly (SandboxAccount | null)[],
  getMintDecimals: (mint: Address) => number | null,
): TokenBalance[] {
  const balances: TokenBalance[] = [];
  accounts.forEach((account, accountIndex) => {
    if (!account || !isTokenProgram(account.owner)) return;
    const token = readTokenAccount(account.data);
    if (!token) return;
    const decimals = getMintDecimals(token.mint);
    if (decimals === null) return;
    balances.push({
      accountIndex,
      mint: token.mint,
      owner: token.owner,
      programId: account.owner,
      uiTokenAmount: toUiTokenAmount(token.amount, decimals),
    });
  });
  return balances;
}

export function createMintDecimalsReader(getAccount: (address: Address) => SandboxAccount | null) {
  return (mint: Address): number | null => {
    const account = getAccount(mint);
    return account ? (readMint(account.data)?.decimals ?? null) : null;
  };
}
