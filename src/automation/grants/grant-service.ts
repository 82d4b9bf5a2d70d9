import type { Clock } from "../../core/clock.js";
import { createUuidV7 } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { Store } from "../../store/store.js";
import { type RandomBytes, systemRandomBytes } from "../../wallet/random-bytes.js";
import { getAddressOfSecretKey } from "../../wallet/wallet-keypair.js";
import type { WalletService } from "../../wallet/wallet-service.js";
import { createGrantAudit } from "./grant-audit.js";
import { sealGrantKey } from "./grant-cipher.js";
import { createGrantKeySource } from "./grant-key-source.js";
import { assertGrantLimits } from "./grant-limits.js";
import type { GrantHooks, GrantService } from "./grant-service-types.js";
import type { GrantRecord } from "./grant-types.js";

export type {
  GrantEndReason,
  GrantFiring,
  GrantHooks,
  GrantService,
  NewGrantInput,
} from "./grant-service-types.js";

export interface GrantServiceOptions extends GrantHooks {
  readonly store: Pick<Store, "automationGrants" | "wallets" | "audit">;
  readonly wallets: Pick<WalletService, "withKeyForGrant">;
  /** The operator's AUTOMATION_KEY; null turns automation off. */
  readonly automationKey: Buffer | null;
  readonly clock: Clock;
  readonly random?: RandomBytes;
}

const DAY_MS = 86_400_000;

/** Grants, revocation, expiry and the one way a grant's key is ever used: an order's key source. */
export function createGrantService(options: GrantServiceOptions): GrantService {
  const { store, wallets, automationKey, clock } = options;
  const random = options.random ?? systemRandomBytes;

  function requireKey(): Buffer {
    if (!automationKey) throw new OspreyError("AUTOMATION_DISABLED");
    return automationKey;
  }

  const audit = createGrantAudit(store);

  async function end(grant: GrantRecord, status: "REVOKED" | "EXPIRED", reason: string) {
    const ended = await store.automationGrants.end(grant.id, status, reason);
    if (!ended) return undefined;
    const revoked = status === "REVOKED";
    await audit(revoked ? "automation.revoke" : "automation.expire", ended, { reason });
    await options.onGrantEnded?.(ended, revoked ? "GRANT_REVOKED" : "GRANT_EXPIRED");
    return ended;
  }

  return {
    enabled: automationKey !== null,

    async grant(input) {
      const key = requireKey();
      const now = clock.now();
      assertGrantLimits(input, now);
      const wallet = await store.wallets.findForUser(input.userId, input.walletId);
      if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
      const id = createUuidV7(now, random(10));
      const { maxOrderLamports, maxDailyLamports, expiresAt } = input;
      const orderTypes = [...input.orderTypes].sort();
      const { userId, walletId } = input;
      const limits = { maxOrderLamports, maxDailyLamports, orderTypes, expiresAt };
      const binding = { grantId: id, userId, walletId, publicKey: wallet.publicKey, ...limits };
      const sealedKey = await wallets.withKeyForGrant(
        { userId, wallet, password: input.password },
        async (secretKey) => {
          if (getAddressOfSecretKey(secretKey) !== wallet.publicKey)
            throw new OspreyError("WALLET_KEY_MISMATCH");
          return sealGrantKey(binding, key, secretKey, random);
        },
      );
      const { grant, replaced } = await store.automationGrants.create({
        id,
        userId,
        walletId,
        publicKey: wallet.publicKey,
        ...limits,
        sealedKey,
      });
      try {
        await audit("automation.grant", grant, {
          maxOrderLamports: maxOrderLamports.toString(),
          maxDailyLamports: maxDailyLamports.toString(),
          orderTypes: orderTypes.join(","),
          expiresAt,
          ...(replaced ? { replaced: replaced.id } : {}),
        });
      } catch (error) {
        // A grant that cannot be audited does not stand.
        await store.automationGrants
          .end(grant.id, "REVOKED", "audit failed")
          .catch(() => undefined);
        throw error;
      }
      await options.onGrantCreated?.(grant);
      return grant;
    },

    async revoke(userId, walletId) {
      const active = await store.automationGrants.findActive(walletId);
      const ended = active?.userId === userId ? await end(active, "REVOKED", "revoked") : undefined;
      if (!ended) throw new OspreyError("GRANT_NOT_FOUND");
      return ended;
    },

    async get(userId, walletId) {
      const [latest] = await store.automationGrants.listForUser(userId, walletId);
      return latest ?? null;
    },

    keySource: (grant, firing) =>
      createGrantKeySource({ store, automationKey: requireKey(), clock, audit }, grant, firing),

    async expireDue(now) {
      const due = await store.automationGrants.listExpired(now);
      const ended: GrantRecord[] = [];
      for (const grant of due) {
        const done = await end(grant, "EXPIRED", "expired");
        if (done) ended.push(done);
      }
      return ended;
    },

    spentToday: (grant, now) => store.automationGrants.spentSince(grant.id, now - DAY_MS),
  };
}
