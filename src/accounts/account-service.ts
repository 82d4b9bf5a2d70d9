import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { Role } from "../store/repositories/users-repository.js";
import type { Store } from "../store/store.js";
import type { PasswordHasher } from "./password-hasher.js";
import { createSecretToken, hashSecretToken } from "./secret-token.js";

export interface Principal {
  readonly userId: UserId;
  readonly role: Role;
  /** How the caller proved who they are; API keys cannot manage other API keys. */
  readonly via: "access-token" | "api-key";
  readonly credentialId: string;
}

export interface AccountServiceOptions {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  /** Access-token lifetime (default 24 hours). */
  readonly tokenTtlMs?: number;
}

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
const PASSWORD_MIN = 8;
const PASSWORD_MAX = 256;

export function assertValidUsername(username: string): void {
  if (!USERNAME.test(username.toLowerCase())) {
    throw new OspreyError(
      "INVALID_INPUT",
      "A username is 3 to 32 characters: letters, digits, and . _ - (not first).",
      { field: "username" },
    );
  }
}

export function assertValidPassword(password: string): void {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    throw new OspreyError(
      "INVALID_INPUT",
      `A password is ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`,
      {
        field: "password",
      },
    );
  }
}

const badCredentials = () => new OspreyError("UNAUTHENTICATED", "Wrong username or password.");

/** Registration, login, bearer tokens and API keys; knows nothing of HTTP. */
export function createAccountService(options: AccountServiceOptions) {
  const { store, hasher, clock } = options;
  const tokenTtlMs = options.tokenTtlMs ?? 24 * 3_600_000;

  return {
    async register(input: {
      username: string;
      password: string;
      role?: Role;
    }): Promise<{ userId: UserId }> {
      assertValidUsername(input.username);
      assertValidPassword(input.password);
      if (await store.users.findByUsername(input.username)) {
        throw new OspreyError("CONFLICT", "That username is taken.", { field: "username" });
      }
      const passwordHash = await hasher.hash(input.password);
      const user = await store.users.create({
        username: input.username,
        passwordHash,
        ...(input.role ? { role: input.role } : {}),
      });
      await store.audit.record({
        userId: user.id,
        action: "user.register",
        detail: { role: user.role },
      });
      return { userId: user.id };
    },

    /** Same error and similar time for an unknown user and a wrong password. */
    async login(input: {
      username: string;
      password: string;
    }): Promise<{ token: string; expiresAt: number; userId: UserId }> {
      if (input.password.length > PASSWORD_MAX) throw badCredentials();
      const user = await store.users.findByUsername(input.username);
      if (!user || user.disabledAt !== null) {
        await hasher.burn(input.password);
        throw badCredentials();
      }
      if (!(await hasher.verify(user.passwordHash, input.password))) {
        await store.audit.record({ userId: user.id, action: "user.login", detail: { ok: false } });
        throw badCredentials();
      }
      const token = createSecretToken("osa");
      const expiresAt = clock.now() + tokenTtlMs;
      await store.accessTokens.create({
        userId: user.id,
        tokenHash: hashSecretToken(token),
        expiresAt,
      });
      await store.audit.record({ userId: user.id, action: "user.login", detail: { ok: true } });
      return { token, expiresAt, userId: user.id };
    },

    /** Resolves a bearer credential (access token or API key) to its user, or throws UNAUTHENTICATED. */
    async authenticate(credential: string): Promise<Principal> {
      const hash = hashSecretToken(credential);
      if (credential.startsWith("osk_")) {
        const key = await store.apiKeys.findActiveByHash(hash);
        const user = key && (await store.users.findById(key.userId));
        if (!key || !user || user.disabledAt !== null)
          throw new OspreyError("UNAUTHENTICATED", "Unknown or revoked API key.");
        await store.apiKeys.touch(key.id);
        return { userId: user.id, role: user.role, via: "api-key", credentialId: key.id };
      }
      const token = await store.accessTokens.findLiveByHash(hash);
      const user = token && (await store.users.findById(token.userId));
      if (!token || !user || user.disabledAt !== null) {
        throw new OspreyError(
          "UNAUTHENTICATED",
          "The access token is unknown or has expired; log in again.",
        );
      }
      return { userId: user.id, role: user.role, via: "access-token", credentialId: token.id };
    },

    async logout(principal: Principal): Promise<void> {
      if (principal.via === "access-token") await store.accessTokens.revoke(principal.credentialId);
    },

    /** The key is returned once and never stored; only its hash and first characters are. */
    async createApiKey(
      userId: UserId,
      name: string,
    ): Promise<{ id: string; key: string; name: string }> {
      const key = createSecretToken("osk");
      const record = await store.apiKeys.create({
        userId,
        name,
        keyHash: hashSecretToken(key),
        keyPrefix: key.slice(0, 8),
      });
      await store.audit.record({
        userId,
        action: "api_key.create",
        targetType: "api_key",
        targetId: record.id,
      });
      return { id: record.id, key, name };
    },

    async listApiKeys(userId: UserId) {
      const keys = await store.apiKeys.listForUser(userId);
      return keys.map(({ id, name, keyPrefix, createdAt, lastUsedAt, revokedAt }) => ({
        id,
        name,
        keyPrefix,
        createdAt,
        lastUsedAt,
        revokedAt,
      }));
    },

    async revokeApiKey(userId: UserId, id: string): Promise<void> {
      if (!(await store.apiKeys.revoke(userId, id)))
        throw new OspreyError("NOT_FOUND", "No such API key.");
      await store.audit.record({
        userId,
        action: "api_key.revoke",
        targetType: "api_key",
        targetId: id,
      });
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
