import type { Address } from "../../core/addresses.js";
import type { Clock } from "../../core/clock.js";
import type { WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { Store } from "../../store/store.js";
import type { OrderKeySource } from "../../trading/order-engine.js";
import { wipe } from "../../wallet/random-bytes.js";
import { getAddressOfPublicKeyBytes } from "../../wallet/wallet-keypair.js";
import type { GrantAudit } from "./grant-audit.js";
import { openGrantKey } from "./grant-cipher.js";
import type { GrantFiring } from "./grant-service-types.js";
import type { GrantRecord } from "./grant-types.js";

export interface GrantKeySourceDeps {
  readonly store: Pick<Store, "automationGrants">;
  readonly automationKey: Buffer;
  readonly clock: Clock;
  readonly audit: GrantAudit;
}

/**
 * The only way a grant's key is opened: for one firing's order. Re-reads the grant (revoked,
 * expired or tampered with → refused before anything opens), audits the signature first, hands
 * the key to the order engine, and wipes it.
 */
export function createGrantKeySource(
  deps: GrantKeySourceDeps,
  grant: Pick<GrantRecord, "id" | "publicKey">,
  firing: GrantFiring,
): OrderKeySource {
  return {
    // Known before opening: the order engine builds the swap while this reads and audits.
    publicKey: grant.publicKey as Address,
    async withKey(fn) {
      const current = await deps.store.automationGrants.findById(grant.id);
      if (current?.status !== "ACTIVE" || current.sealedKey === null)
        throw new OspreyError("GRANT_NOT_FOUND");
      if (deps.clock.now() >= current.expiresAt) throw new OspreyError("GRANT_EXPIRED");
      // Written before the key is opened: a signature that cannot be audited does not happen.
      await deps.audit("automation.sign", current, { ...firing });
      const binding = { ...current, grantId: current.id };
      const secretKey = openGrantKey(binding, deps.automationKey, current.sealedKey);
      if (!secretKey)
        throw new OspreyError("GRANT_NOT_FOUND", "The grant's key cannot be opened.", {
          grantId: current.id,
        });
      try {
        // The box authenticated these exact bytes under an AAD naming the public key, and the
        // grant sealed them only after checking the seed derives it (grant-service): comparing
        // the public half suffices, without re-deriving it (a ms on the firing's path).
        if (
          secretKey.length !== 64 ||
          getAddressOfPublicKeyBytes(secretKey.subarray(32)) !== current.publicKey
        )
          throw new OspreyError("WALLET_KEY_MISMATCH");
        const walletId = current.walletId as WalletId;
        const publicKey = current.publicKey as Address;
        return await fn({ walletId, publicKey, secretKey });
      } finally {
        wipe(secretKey);
      }
    },
  };
}
