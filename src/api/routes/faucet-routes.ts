import type { Address } from "@solana/kit";
import { z } from "zod";
import { isWalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { Store } from "../../store/store.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import type { RequireAccess } from "../route-access.js";

export interface FaucetRoutesOptions {
  readonly store: Store;
  readonly requireAccess: RequireAccess;
  /** Sends lamports to the address and resolves once confirmed; absent off the sandbox. */
  readonly airdrop?: (to: Address, lamports: bigint) => Promise<string>;
  /** Airdrops per user per window (default 10 a minute). */
  readonly perUser?: RateLimit;
}

const LAMPORTS_PER_SOL = 1_000_000_000n;
export const FAUCET_DEFAULT_LAMPORTS = 2n * LAMPORTS_PER_SOL;
export const FAUCET_MAX_LAMPORTS = 10n * LAMPORTS_PER_SOL;

function parseLamports(text: string | undefined): bigint {
  if (text === undefined) return FAUCET_DEFAULT_LAMPORTS;
  if (!/^[0-9]{1,20}$/.test(text) || BigInt(text) === 0n || BigInt(text) > FAUCET_MAX_LAMPORTS)
    throw new OspreyError(
      "INVALID_AMOUNT",
      `lamports must be a whole number from 1 to ${FAUCET_MAX_LAMPORTS} (10 SOL).`,
      { max: FAUCET_MAX_LAMPORTS.toString() },
    );
  return BigInt(text);
}

/** POST /v1/wallets/:id/faucet: sandbox SOL for one of the caller's wallets. */
export function createFaucetRoutes(options: FaucetRoutesOptions): RouteModule {
  const { store, requireAccess, airdrop } = options;
  const trade = requireAccess("trade", {
    bucket: "faucet",
    perUser: options.perUser ?? { limit: 10, windowMs: 60_000 },
  });
  return (app) => {
    app.post(
      "/v1/wallets/:id/faucet",
      {
        onRequest: trade,
        schema: {
          tags: ["wallets"],
          summary:
            "Sandbox only: airdrop SOL to the wallet ({lamports?}: default 2 SOL, at most 10) and wait until confirmed. 404 FAUCET_UNAVAILABLE on a real cluster (see GET /v1/meta's faucet).",
          params: z.object({ id: z.string().max(64) }),
          body: z.object({ lamports: z.string().max(40).optional() }).optional(),
          response: {
            200: z.object({ signature: z.string(), lamports: z.string() }),
          },
        },
      },
      async (request) => {
        if (!airdrop) throw new OspreyError("FAUCET_UNAVAILABLE");
        const lamports = parseLamports(request.body?.lamports);
        const { userId } = getPrincipal(request);
        const { id } = request.params;
        const wallet = isWalletId(id) ? await store.wallets.findForUser(userId, id) : undefined;
        if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
        const signature = await airdrop(wallet.publicKey as string as Address, lamports);
        return { signature, lamports: lamports.toString() };
      },
    );
  };
}
