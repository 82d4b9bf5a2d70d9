import type { Address, GetBalanceApi, GetTokenAccountsByOwnerApi, Rpc } from "@solana/kit";

import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../core/token-programs.js";

export interface TokenBalance {
  readonly mint: string;
  readonly account: string;
  readonly program: "spl-token" | "token-2022";
  readonly amount: bigint;
  readonly decimals: number;
}

export interface WalletBalances {
  readonly solLamports: bigint;
  readonly tokens: readonly TokenBalance[];
  readonly slot: bigint;
}

interface ParsedTokenAccount {
  readonly parsed?: {
    readonly info?: {
      readonly mint?: string;
      readonly tokenAmount?: { amount?: string; decimals?: number };
    };
  };
}

/** SOL and every token account of both token programs, in three reads sent at once. */
export async function getWalletBalances(
  rpc: Rpc<GetBalanceApi & GetTokenAccountsByOwnerApi>,
  owner: Address,
): Promise<WalletBalances> {
  const byProgram = (programId: Address) =>
    rpc
      .getTokenAccountsByOwner(
        owner,
        { programId },
        { encoding: "jsonParsed", commitment: "confirmed" },
      )
      .send();
  const [sol, classic, token2022] = await Promise.all([
    rpc.getBalance(owner, { commitment: "confirmed" }).send(),
    byProgram(TOKEN_PROGRAM),
    byProgram(TOKEN_2022_PROGRAM),
  ]);
  const tokens: TokenBalance[] = [];
  for (const [program, result] of [
    ["spl-token", classic],
    ["token-2022", token2022],
  ] as const) {
    for (const { pubkey, account } of result.value) {
      const info = (account.data as ParsedTokenAccount).parsed?.info;
      const amount = info?.tokenAmount?.amount;
      if (!info?.mint || amount === undefined || !/^[0-9]+$/.test(amount)) continue;
      tokens.push({
        mint: info.mint,
        account: pubkey,
        program,
        amount: BigInt(amount),
        decimals: info.tokenAmount?.decimals ?? 0,
      });
    }
  }
  return { solLamports: sol.value, tokens, slot: sol.context.slot };
}
