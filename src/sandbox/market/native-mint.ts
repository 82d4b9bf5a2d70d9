import { TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import { NATIVE_MINT } from "./pool.js";

/** The wrapped-SOL mint as on mainnet (9 decimals, no authorities); LiteSVM starts without it. */
export function ensureNativeMint(chain: SandboxChain): void {
  if (chain.getAccount(NATIVE_MINT)) return;
  const data = new Uint8Array(82);
  data[44] = 9;
  data[45] = 1;
  chain.setAccount({
    address: NATIVE_MINT,
    lamports: chain.minimumBalanceForRentExemption(82),
    owner: TOKEN_PROGRAM as typeof NATIVE_MINT,
    data,
  });
}
