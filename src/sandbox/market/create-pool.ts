import type { Address, KeyPairSigner } from "@solana/kit";
import * as t22 from "@solana-program/token-2022";
import { TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import type { ChainSender } from "./chain-sender.js";
import { getAssociatedTokenAddress } from "./create-token.js";
import { NATIVE_MINT, type Pool } from "./pool.js";

const SIGNATURE_FEE = 5000n;

export interface PoolSpec {
  label: string;
  authority: KeyPairSigner;
  feeBps: number;
  base: { mint: Address; program: Address };
  /** SOL (reserve in lamports) or a token already minted to the authority's account. */
  quote: { kind: "sol"; lamports: bigint } | { kind: "token"; mint: Address; program: Address };
  baseMode?: Pool["baseMode"];
  thawBuyer?: boolean;
}

/**
 * Turns accounts the authority holds into a pool: base (and a quote token) must already sit in
 * its associated accounts; SOL is airdropped to it. Opens its wSOL account for wrapped payments.
 */
export async function createPool(
  chain: SandboxChain,
  sender: ChainSender,
  spec: PoolSpec,
): Promise<Pool> {
  const authority = spec.authority;
  const solReserve = spec.quote.kind === "sol" ? spec.quote.lamports : 0n;
  // Exactly the reserve plus what opening the wSOL account costs, so the reserve starts round.
  const float = chain.minimumBalanceForRentExemption(165) + SIGNATURE_FEE;
  chain.airdrop(authority.address, solReserve + float + chain.minimumBalanceForRentExemption(0));
  const wsolAccount = await getAssociatedTokenAddress(
    authority.address,
    NATIVE_MINT,
    TOKEN_PROGRAM,
  );
  await sender.send(authority, [
    t22.getCreateAssociatedTokenIdempotentInstruction({
      payer: authority,
      ata: wsolAccount,
      owner: authority.address,
      mint: NATIVE_MINT,
      tokenProgram: TOKEN_PROGRAM,
    }),
  ]);
  const baseVault = await getAssociatedTokenAddress(
    authority.address,
    spec.base.mint,
    spec.base.program,
  );
  const quote: Pool["quote"] =
    spec.quote.kind === "sol"
      ? { kind: "lamports", mint: NATIVE_MINT, address: authority.address, wsolAccount }
      : {
          kind: "token",
          mint: spec.quote.mint,
          program: spec.quote.program,
          address: await getAssociatedTokenAddress(
            authority.address,
            spec.quote.mint,
            spec.quote.program,
          ),
        };
  return {
    id: authority.address,
    label: spec.label,
    authority,
    feeBps: spec.feeBps,
    base: { kind: "token", mint: spec.base.mint, program: spec.base.program, address: baseVault },
    quote,
    baseMode: spec.baseMode ?? "transfer",
    thawBuyer: spec.thawBuyer ?? false,
  };
}
