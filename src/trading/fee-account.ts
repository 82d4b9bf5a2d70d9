import { type GetAccountInfoApi, type Rpc, address as toKitAddress } from "@solana/kit";
import { findAssociatedTokenPda } from "@solana-program/token";
import type { Address } from "../core/addresses.js";
import type { Logger } from "../core/logger.js";
import { TOKEN_PROGRAM } from "../core/token-programs.js";
import { SOL_MINT } from "./price-client.js";

/**
 * Where the commission is paid: the operator's wrapped-SOL associated token account, the SOL
 * side of every trade. Jupiter's swap API takes a token account of the input or output mint as
 * `feeAccount`, never a wallet; the fee lands as lamports in it (then SyncNative), so its
 * lamport change in a swap is the commission actually received.
 */
export async function getFeeAccount(feeWallet: Address): Promise<Address> {
  const [account] = await findAssociatedTokenPda({
    owner: toKitAddress(feeWallet),
    mint: toKitAddress(SOL_MINT),
    tokenProgram: TOKEN_PROGRAM,
  });
  return account as string as Address;
}

/**
 * Says at start-up, in the log, when the fee account does not exist: every swap with a fee
 * would then be refused by the swap API. Not fatal, since an RPC hiccup must not stop the
 * service; the check reads once, in the background.
 */
export function warnIfMissing(
  chain: { readonly rpc: Rpc<GetAccountInfoApi> },
  feeAccount: Address,
  feeWallet: Address,
  logger: Logger,
): void {
  chain.rpc
    .getAccountInfo(toKitAddress(feeAccount), { encoding: "base64", commitment: "confirmed" })
    .send()
    .then(({ value }) => {
      if (value !== null) return;
      logger.error(
        { feeAccount, feeWallet },
        "FEE_WALLET has no wrapped-SOL token account, so swaps with a commission will fail: " +
          `create it with \`spl-token create-account ${SOL_MINT} --owner ${feeWallet}\`, or unset FEE_WALLET`,
      );
    })
    .catch((error: unknown) =>
      logger.warn({ err: error, feeAccount }, "could not check the fee account"),
    );
}
