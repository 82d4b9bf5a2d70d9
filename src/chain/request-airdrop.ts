import type { Address, Lamports, RequestAirdropApi, Rpc, Signature } from "@solana/kit";
import { OspreyError } from "../core/osprey-error.js";
import type { SignatureStatusPoller } from "./signature-status-poller.js";

export interface AirdropOptions {
  readonly rpc: Rpc<RequestAirdropApi>;
  readonly poller: SignatureStatusPoller;
  /** How long to wait for the airdrop to be confirmed (default 30 s). */
  readonly timeoutMs?: number;
}

/**
 * Asks the cluster's faucet (JSON-RPC `requestAirdrop`, the public protocol: the sandbox, devnet
 * and testnet answer it) for lamports, and waits until the transfer is confirmed, watched by the
 * lander's shared status poller. A bound, not a timed promise: past it the caller gets 503.
 */
export async function requestAirdrop(
  options: AirdropOptions,
  to: Address,
  lamports: bigint,
): Promise<Signature> {
  const signature = await options.rpc
    .requestAirdrop(to, lamports as Lamports, { commitment: "confirmed" })
    .send();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(
        new OspreyError("RPC_TIMEOUT", "The airdrop was not confirmed in time.", { signature }),
      );
    }, options.timeoutMs ?? 30_000);
    const stop = options.poller.watch(signature, ({ status }) => {
      if (status === null) return;
      if (status.err !== null) {
        clearTimeout(timer);
        stop();
        reject(new OspreyError("RPC_ENDPOINT_ERROR", "The airdrop failed.", { signature }));
      } else if (
        status.confirmationStatus === "confirmed" ||
        status.confirmationStatus === "finalized"
      ) {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
  return signature;
}
