import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { Role } from "../store/repositories/users-repository.js";
import type { Store } from "../store/store.js";
import { type ApiKeyScope, DEFAULT_API_KEY_SCOPE, isApiKeyScope } from "./api-key-scope.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { PasswordHasher } from "./password-hasher.js";
import { createSecretToken, hashSecretToken } from "./secret-token.js";

/** Who is calling, and how they proved it: a login token can do everything, a key its scope. */
export type Principal = {
  readonly userId: UserId;
  readonly role: Role;
  readonly credentialId: string;
} & ({ readonly via: "access-token" } | { readonly via: "api-key"; readonly scope: ApiKeyScope });

/** Names the credential behind a principal, e.g. `access-token:<id>`: what sessions are indexed by. */
export function getCredentialRef(principal: Pick<Principal, "via" | "credentialId">): string {
  return `${principal.via}:${principal.credentialId}`;
}

export interface AccountServiceOptions {
  readonly store: Store;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  /** Counts failed logins per username and address (login-throttle.ts). */
  readonly loginThrottle: LoginThrottle;
  /**
   * Ends the trading sessions a credential opened (by its getCredentialRef), when a login token
   * is logged out or an API key revoked.
   */
  readonly endSessionsOf: (credentialRef: string) => Promise<number>;
  /** Access-token lifetime (default 24 hours). */
  readonly tokenTtlMs?: number;
}

export interface ApiKeyListing {
  readonly id: string;
  readonly name: string;
  readonly keyPrefix: string;
  readonly scope: ApiKeyScope;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

// A value no release wrote (a hand edit, a newer version rolled back) grants the least.
const toScope = (stored: string): ApiKeyScope => (isApiKeyScope(stored) ? stored : "read");

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

/**
 * The stored "hash" of a user made without a password (by the Telegram bot's /start): not an
 * argon2 string, so no password verifies against it, and making it costs no KDF work.
 */
export const NO_PASSWORD = "!no-password";

const badCredentials = () => new OspreyError("UNAUTHENTICATED", "Wrong username or password.");

/** Registration, login, bearer tokens and API keys; knows nothing of HTTP. */
export function createAccountService(options: AccountServiceOptions) {
  const { store, hasher, clock, loginThrottle, endSessionsOf } = options;
  const tokenTtlMs = options.tokenTtlMs ?? 24 * 3_600_000;

  /** The user when the password is theirs, undefined when not (or no such user). */
  async function checkPassword(
    username: string,
    password: string,
  ): Promise<{ userId: UserId } | undefined> {
    if (password.length > PASSWORD_MAX) return undefined;
    const user = await store.users.findByUsername(username);
    if (!user || user.disabledAt !== null) {
      await hasher.burn(password);
      return undefined;
    }
    if (user.passwordHash === NO_PASSWORD) {
      // A user reached only by one-time links: as slow as a wrong password, never a match.
      await hasher.burn(password);
      return undefined;
    }
    if (!(await hasher.verify(user.passwordHash, password))) {
      await store.audit.record({ userId: user.id, action: "user.login", detail: { ok: false } });
      return undefined;
    }
    return { userId: user.id };
  }

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

    /**
     * A user who signs in only through one-time links (the Telegram bot's): no password, so no
     * argon2 work. A burst of new chats is a burst of database writes, not of hashing.
     */
    async registerWithoutPassword(input: { username: string }): Promise<{ userId: UserId }> {
      assertValidUsername(input.username);
      if (await store.users.findByUsername(input.username)) {
        throw new OspreyError("CONFLICT", "That username is taken.", { field: "username" });
      }
      const user = await store.users.create({
        username: input.username,
        passwordHash: NO_PASSWORD,
      });
      await store.audit.record({
        userId: user.id,
        action: "user.register",
        detail: { role: user.role, password: false },
      });
      return { userId: user.id };
    },

    /**
     * Same error and similar time for an unknown user and a wrong password. `address` is the
     * client's network address (login-throttle.ts); in-process callers have none.
     */
    async login(input: {
      username: string;
      password: string;
      address?: string;
    }): Promise<{ token: string; expiresAt: number; userId: UserId }> {
      const attempt = await loginThrottle.begin(input.username, input.address ?? "local");
      let checked: { userId: UserId } | undefined;
      try {
        checked = await checkPassword(input.username, input.password);
      } catch (error) {
        await attempt.abandon();
        throw error;
      }
      if (!checked) {
        await attempt.failed();
        throw badCredentials();
      }
      await attempt.succeeded();
      const token = createSecretToken("osa");
      const expiresAt = clock.now() + tokenTtlMs;
      await store.accessTokens.create({
        userId: checked.userId,
        tokenHash: hashSecretToken(token),
        expiresAt,
      });
      await store.audit.record({
        userId: checked.userId,
        action: "user.login",
        detail: { ok: true },
      });
      return { token, expiresAt, userId: checked.userId };
    },

    /**
     * A login token for a user proven another way (a one-time link the Telegram bot sent to the
     * user's linked chat): the same token a password login gives, audited with how it was made.
     */
    async issueLoginToken(
      userId: UserId,
      via: "telegram",
    ): Promise<{ token: string; expiresAt: number; userId: UserId }> {
      const user = await store.users.findById(userId);
      if (!user || user.disabledAt !== null) throw badCredentials();
      const token = createSecretToken("osa");
      const expiresAt = clock.now() + tokenTtlMs;
      await store.accessTokens.create({ userId, tokenHash: hashSecretToken(token), expiresAt });
      await store.audit.record({ userId, action: "user.login", detail: { ok: true, via } });
      return { token, expiresAt, userId };
    },

    /** Who a user is, for the page: id, username and role (never the password hash). */
    async getProfile(userId: UserId): Promise<{ id: UserId; username: string; role: Role }> {
      const user = await store.users.findById(userId);
      if (!user) throw new OspreyError("UNAUTHENTICATED");
      return { id: user.id, username: user.username, role: user.role };
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
        return {
          userId: user.id,
          role: user.role,
          via: "api-key",
          scope: toScope(key.scope),
          credentialId: key.id,
        };
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

    /**
     * Ends a login: the trading sessions it opened first, then the token, so that a retry after
     * a failure in between still authenticates and finishes the job. An API key is left as it is
     * (revoke it instead).
     */
    async logout(principal: Principal): Promise<{ endedSessions: number }> {
      if (principal.via !== "access-token") return { endedSessions: 0 };
      const endedSessions = await endSessionsOf(getCredentialRef(principal));
      await store.accessTokens.revoke(principal.credentialId);
      await store.audit.record({
        userId: principal.userId,
        action: "user.logout",
        detail: { endedSessions },
      });
      return { endedSessions };
    },

    /** The key is returned once and never stored; only its hash and first characters are. */
    async createApiKey(
      userId: UserId,
      name: string,
      scope: ApiKeyScope = DEFAULT_API_KEY_SCOPE,
    ): Promise<{ id: string; key: string; name: string; scope: ApiKeyScope }> {
      const key = createSecretToken("osk");
      const record = await store.apiKeys.create({
        userId,
        name,
        scope,
        keyHash: hashSecretToken(key),
        keyPrefix: key.slice(0, 8),
      });
      await store.audit.record({
        userId,
        action: "api_key.create",
        targetType: "api_key",
        targetId: record.id,
        detail: { scope },
      });
      return { id: record.id, key, name, scope };
    },

    async listApiKeys(userId: UserId): Promise<ApiKeyListing[]> {
      const keys = await store.apiKeys.listForUser(userId);
      return keys.map(({ id, name, keyPrefix, scope, createdAt, lastUsedAt, revokedAt }) => ({
        id,
        name,
        keyPrefix,
        scope: toScope(scope),
        createdAt,
        lastUsedAt,
        revokedAt,
      }));
    },

    /** Revokes the key, then ends the trading sessions it opened. */
    async revokeApiKey(userId: UserId, id: string): Promise<{ endedSessions: number }> {
      if (!(await store.apiKeys.revoke(userId, id)))
        throw new OspreyError("NOT_FOUND", "No such API key.");
      const endedSessions = await endSessionsOf(
        getCredentialRef({ via: "api-key", credentialId: id }),
      );
      await store.audit.record({
        userId,
        action: "api_key.revoke",
        targetType: "api_key",
        targetId: id,
        detail: { endedSessions },
      });
      return { endedSessions };
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
