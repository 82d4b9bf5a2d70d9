import type { Address } from "../core/addresses.js";
import type { Clock } from "../core/clock.js";
import { createUuidV7, type UserId, type WalletId } from "../core/ids.js";
import { isOspreyError } from "../core/osprey-error.js";
import type { AttemptThrottle } from "./attempt-throttle.js";
import { assertIsWalletPassword } from "./derive-wallet-key.js";
import { type RandomBytes, systemRandomBytes, wipe } from "./random-bytes.js";
import { exportSecretKey, importSecretKey, type SecretKeyInput } from "./secret-key-format.js";
import type { SessionManager } from "./session-types.js";
import type { WalletAudit, WalletAuditAction } from "./wallet-audit-event.js";
import type { WalletCipher, WalletKeyRef } from "./wallet-cipher.js";
import { createWalletKeypair, type WalletKeypair } from "./wallet-keypair.js";
import { assertIsNewWalletPassword, getPasswordWeakness } from "./wallet-password-policy.js";

/** The columns of a wallets row this service needs; the caller has checked it belongs to the user. */
export interface StoredWallet {
  readonly id: WalletId;
  readonly publicKey: Address;
  /** The key envelope TEXT as stored (v2 JSON, or a legacy v1). */
  readonly envelope: string;
}

export interface NewWallet {
  readonly id: WalletId;
  readonly publicKey: Address;
  readonly envelope: string;
}

export interface WalletServiceOptions {
  readonly cipher: WalletCipher;
  readonly sessions: SessionManager;
  readonly throttle: AttemptThrottle;
  readonly audit: WalletAudit;
  readonly clock: Clock;
  readonly random?: RandomBytes;
}

export interface PasswordInput {
  readonly userId: UserId;
  readonly wallet: StoredWallet;
  readonly password: string;
}

export interface UnlockInput extends PasswordInput {
  /** The credential unlocking (e.g. `access-token:<id>`); ending it ends the session. */
  readonly openedBy?: string;
}

export interface ChangePasswordInput extends PasswordInput {
  readonly newPassword: string;
  /**
   * Writes the new envelope, conditionally on the old one (`WHERE envelope = <old>`), throwing
   * CONFLICT when it changed meanwhile. Sessions are revoked only after it succeeds, so an unlock
   * racing the change cannot leave a session opened with the old password.
   */
  readonly save: (envelope: string) => Promise<void>;
}

export interface UnlockResult {
  readonly sessionToken: string;
  readonly sessionId: string;
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
  /**
   * A re-encrypted envelope to store in place of the old one, or null when it is current. Store it
   * conditionally (`WHERE envelope = <the one read>`) so it cannot undo a concurrent password change.
   */
  readonly upgradedEnvelope: string | null;
  /** The password is weaker than the policy (it predates it): ask the owner to change it. */
  readonly passwordChangeRequired: boolean;
}

export interface WalletService {
  createWallet(userId: UserId, password: string): Promise<NewWallet>;
  importWallet(userId: UserId, password: string, secretKey: SecretKeyInput): Promise<NewWallet>;
  unlockWallet(input: UnlockInput): Promise<UnlockResult>;
  exportWallet(
    input: PasswordInput,
  ): Promise<{ secretKey: string; upgradedEnvelope: string | null }>;
  /** Re-encrypts under the new password, saves it, then ends every session of the wallet. */
  changeWalletPassword(input: ChangePasswordInput): Promise<{ revokedSessions: number }>;
  /**
   * Runs `act` with the wallet key for an automation grant (src/automation/grants), through the
   * unlock's throttle and failure audit (`automation.grant`); the key is wiped after. The grant
   * service seals it and audits the grant itself.
   */
  withKeyForGrant<T>(input: PasswordInput, act: (secretKey: Uint8Array) => Promise<T>): Promise<T>;
  revokeSession(userId: UserId, token: string): Promise<boolean>;
  revokeAllSessions(userId: UserId): Promise<number>;
}

/** Create/import/unlock/export as one service: throttle → decrypt once → verify → upgrade → act. */
export function createWalletService(options: WalletServiceOptions): WalletService {
  const { cipher, sessions, throttle, audit, clock } = options;
  const random = options.random ?? systemRandomBytes;

  async function store(
    userId: UserId,
    keypair: WalletKeypair,
    password: string,
    imported: boolean,
  ) {
    const id = createUuidV7(clock.now(), random(10)) as WalletId;
    try {
      const ref = { walletId: id, publicKey: keypair.publicKey };
      const envelope = await cipher.encrypt(ref, keypair.secretKey, password);
      const action = imported ? "wallet.import" : "wallet.create";
      await audit({ action, outcome: "ok", userId, walletId: id });
      return { id, publicKey: keypair.publicKey, envelope };
    } finally {
      wipe(keypair.secretKey);
    }
  }

  // Best effort: when the KDF queue is full the upgrade waits for the next unlock.
  function reencrypt(ref: WalletKeyRef, secretKey: Uint8Array, password: string) {
    return cipher.encrypt(ref, secretKey, password).catch((error: unknown) => {
      if (isOspreyError(error, "BUSY")) return null;
      throw error;
    });
  }

  /**
   * Runs `act` with the decrypted key, counting a wrong password against the wallet and the user.
   * Upgrades an old envelope with the same password while the key is in hand, unless `upgrade`
   * is false because the caller re-encrypts anyway.
   */
  async function withDecrypted<T>(
    action: WalletAuditAction,
    { userId, wallet, password }: PasswordInput,
    act: (secretKey: Uint8Array) => Promise<T>,
    upgrade = true,
  ): Promise<{ result: T; upgradedEnvelope: string | null }> {
    assertIsWalletPassword(password);
    const ref = { walletId: wallet.id, publicKey: wallet.publicKey };
    let secretKey: Uint8Array | undefined;
    try {
      const ticket = await throttle.acquire([`wallet:${wallet.id}`, `user:${userId}`]);
      try {
        const decrypted = await cipher.decrypt(ref, wallet.envelope, password);
        secretKey = decrypted.secretKey;
        await ticket.release();
        const upgradedEnvelope =
          upgrade && decrypted.needsUpgrade ? await reencrypt(ref, secretKey, password) : null;
        return { result: await act(secretKey), upgradedEnvelope };
      } catch (error) {
        // Only a failed decryption is a guess; other failures give the attempt back.
        if (!isOspreyError(error, "WALLET_DECRYPT_FAILED")) await ticket.release();
        throw error;
      }
    } catch (error) {
      const code = isOspreyError(error) ? error.code : "INTERNAL";
      await audit({ action, outcome: "failed", userId, walletId: wallet.id, code });
      throw error;
    } finally {
      wipe(secretKey);
    }
  }

  return {
    createWallet: (userId, password) => {
      assertIsNewWalletPassword(password);
      return store(userId, createWalletKeypair(random), password, false);
    },
    importWallet: (userId, password, secretKey) => {
      assertIsNewWalletPassword(password);
      return store(userId, importSecretKey(secretKey), password, true);
    },
    async unlockWallet(input) {
      const { userId, wallet, openedBy } = input;
      const { result: opened, upgradedEnvelope } = await withDecrypted(
        "wallet.unlock",
        input,
        (secretKey) =>
          sessions.open({
            userId,
            walletId: wallet.id,
            publicKey: wallet.publicKey,
            secretKey,
            ...(openedBy === undefined ? {} : { openedBy }),
          }),
      );
      // Wallets made before the password policy still open, and are told to change it.
      const passwordChangeRequired = getPasswordWeakness(input.password) !== null;
      const detail = { upgraded: upgradedEnvelope !== null, passwordChangeRequired };
      await audit({
        action: "wallet.unlock",
        outcome: "ok",
        userId,
        walletId: wallet.id,
        sessionId: opened.sessionId,
        detail,
      });
      const { token: sessionToken, sessionId, expiresAt, absoluteExpiresAt } = opened;
      return {
        sessionToken,
        sessionId,
        expiresAt,
        absoluteExpiresAt,
        upgradedEnvelope,
        passwordChangeRequired,
      };
    },
    async exportWallet(input) {
      const { result: secretKey, upgradedEnvelope } = await withDecrypted(
        "wallet.export",
        input,
        async (key) => exportSecretKey(key),
      );
      // Recorded before the key leaves: an export that cannot be audited does not happen.
      await audit({
        action: "wallet.export",
        outcome: "ok",
        userId: input.userId,
        walletId: input.wallet.id,
        detail: { passwordChangeRequired: getPasswordWeakness(input.password) !== null },
      });
      return { secretKey, upgradedEnvelope };
    },
    async changeWalletPassword(input) {
      assertIsNewWalletPassword(input.newPassword);
      const ref = { walletId: input.wallet.id, publicKey: input.wallet.publicKey };
      const { result: envelope } = await withDecrypted(
        "wallet.password_change",
        input,
        (key) => cipher.encrypt(ref, key, input.newPassword),
        false,
      );
      await input.save(envelope);
      const revokedSessions = await sessions.revokeAllForWallet(input.wallet.id);
      await audit({
        action: "wallet.password_change",
        outcome: "ok",
        userId: input.userId,
        walletId: input.wallet.id,
        detail: { revoked: revokedSessions },
      });
      return { revokedSessions };
    },
    async withKeyForGrant(input, act) {
      const { result } = await withDecrypted("automation.grant", input, act, false);
      return result;
    },
    async revokeSession(userId, token) {
      const revoked = await sessions.revoke(token, userId);
      await audit({ action: "session.revoke", outcome: revoked ? "ok" : "failed", userId });
      return revoked;
    },
    async revokeAllSessions(userId) {
      const revoked = await sessions.revokeAllForUser(userId);
      await audit({ action: "session.revoke_all", outcome: "ok", userId, detail: { revoked } });
      return revoked;
    },
  };
}
