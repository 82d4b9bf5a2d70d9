import type { FastifyRequest } from "fastify";
import { isWalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { WalletRecord } from "../store/repositories/wallets-repository.js";
import type { Store } from "../store/store.js";
import { getPrincipal } from "./auth-guard.js";

/** The caller's wallet `id`: another user's wallet and a missing one answer the same 404, so ids leak nothing. */
export async function getOwnWallet(
  store: Pick<Store, "wallets">,
  request: FastifyRequest,
  id: string,
): Promise<WalletRecord> {
  const { userId } = getPrincipal(request);
  const wallet = isWalletId(id) ? await store.wallets.findForUser(userId, id) : undefined;
  if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
  return wallet;
}
