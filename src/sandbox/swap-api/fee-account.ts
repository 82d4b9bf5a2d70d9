import { type Address, getAddressDecoder } from "@solana/kit";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import type { MintState } from "../market/mint-state.js";
import { NATIVE_MINT, SYSTEM_PROGRAM } from "../market/pool.js";
import type { FeeSide } from "../market/route-math.js";
import { SwapApiError } from "./swap-api-error.js";

/**
 * Where the platform fee goes. On the SOL side the sandbox accepts either a wSOL token account
 * (paid in lamports, then synced) or a plain wallet such as the operator's (paid native lamports);
 * on a token side, a token account of that mint.
 */
export type FeeTarget =
  | { kind: "lamports"; address: Address }
  | { kind: "wsol"; address: Address }
  | { kind: "token"; address: Address };

export interface ResolvedFeeAccount {
  side: FeeSide;
  target: FeeTarget;
}

const TOKEN_PROGRAMS = new Set<string>([TOKEN_PROGRAM, TOKEN_2022_PROGRAM]);

function invalid(message: string): SwapApiError {
  return new SwapApiError("INVALID_FEE_ACCOUNT", message);
}

export function resolveFeeAccount(
  chain: SandboxChain,
  feeAccount: Address,
  inMint: MintState,
  outMint: MintState,
): ResolvedFeeAccount {
  const solSide: FeeSide | null =
    inMint.address === NATIVE_MINT ? "input" : outMint.address === NATIVE_MINT ? "output" : null;
  const account = chain.getAccount(feeAccount);
  if (!account || (account.owner === SYSTEM_PROGRAM && account.data.length === 0)) {
    if (!solSide) throw invalid("feeAccount is a wallet, but neither side of this trade is SOL");
    return { side: solSide, target: { kind: "lamports", address: feeAccount } };
  }
  if (!TOKEN_PROGRAMS.has(account.owner) || account.data.length < 165) {
    throw invalid("feeAccount must be a token account of the input or output mint, or a wallet");
  }
  const mint = getAddressDecoder().decode(account.data.subarray(0, 32));
  if (mint === NATIVE_MINT && solSide) {
    return { side: solSide, target: { kind: "wsol", address: feeAccount } };
  }
  if (mint === inMint.address)
    return { side: "input", target: { kind: "token", address: feeAccount } };
  if (mint === outMint.address) {
    return { side: "output", target: { kind: "token", address: feeAccount } };
  }
  throw invalid("feeAccount's mint is neither the input nor the output mint");
}
