import { createAccountService } from "./accounts/account-service.js";
import { createLoginThrottle } from "./accounts/login-throttle.js";
import { createPasswordHasher } from "./accounts/password-hasher.js";
import type { Config } from "./config/config-schema.js";
import type { Clock } from "./core/clock.js";
import type { UserId } from "./core/ids.js";
import type { KvStore } from "./kv/kv-store.js";
import type { Store } from "./store/store.js";
import { createAttemptThrottle } from "./wallet/attempt-throttle.js";
import { createKdfLimiter } from "./wallet/kdf-limiter.js";
import { createSessionManager } from "./wallet/session-manager.js";
import type { WalletAuditEvent } from "./wallet/wallet-audit-event.js";
import { createWalletCipher } from "./wallet/wallet-cipher.js";
import { createWalletService } from "./wallet/wallet-service.js";

/** Accounts, wallets and sessions, built the same way for the server and the admin commands. */
export function createServices(config: Config, store: Store, kv: KvStore, clock: Clock) {
  // One cap on argon2 work for logins and wallet unlocks together, so memory stays bounded.
  const kdfLimiter = createKdfLimiter({ maxConcurrent: config.KDF_MAX_CONCURRENT });
  const sessions = createSessionManager({
    kv,
    clock,
    idleTimeoutMs: config.SESSION_IDLE_MINUTES * 60_000,
    absoluteTimeoutMs: config.SESSION_MAX_HOURS * 3_600_000,
  });
  const accounts = createAccountService({
    store,
    clock,
    hasher: createPasswordHasher({ limiter: kdfLimiter }),
    loginThrottle: createLoginThrottle({ kv }),
    // A logged-out token or a revoked key takes the trading sessions it opened with it.
    endSessionsOf: (credentialRef) => sessions.revokeAllForCredential(credentialRef),
    tokenTtlMs: config.ACCESS_TOKEN_TTL_MINUTES * 60_000,
  });
  const audit = (event: WalletAuditEvent) =>
    store.audit.record({
      userId: event.userId as UserId,
      action: event.action,
      ...(event.walletId ? { targetType: "wallet", targetId: event.walletId } : {}),
      ...(!event.walletId && event.sessionId
        ? { targetType: "session", targetId: event.sessionId }
        : {}),
      detail: {
        outcome: event.outcome,
        ...(event.code ? { code: event.code } : {}),
        ...event.detail,
      },
    });
  const wallets = createWalletService({
    cipher: createWalletCipher({
      limiter: kdfLimiter,
      params: {
        memoryKiB: config.ARGON2_MEMORY_KIB,
        passes: config.ARGON2_PASSES,
        parallelism: config.ARGON2_PARALLELISM,
      },
    }),
    sessions,
    throttle: createAttemptThrottle({ kv }),
    clock,
    audit,
  });
  return { kdfLimiter, accounts, sessions, wallets };
}

export type Services = ReturnType<typeof createServices>;
