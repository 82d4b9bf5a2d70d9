import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { getCredentialRef } from "../../accounts/account-service.js";
import type { Address } from "../../core/addresses.js";
import type { WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { WalletRecord } from "../../store/repositories/wallets-repository.js";
import type { Store } from "../../store/store.js";
import { MAX_PASSWORD_LENGTH } from "../../wallet/derive-wallet-key.js";
import type { WalletBalances } from "../../wallet/get-wallet-balances.js";
import type { SessionManager } from "../../wallet/session-types.js";
import { MIN_NEW_PASSWORD_LENGTH } from "../../wallet/wallet-password-policy.js";
import type { WalletService } from "../../wallet/wallet-service.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { getOwnWallet } from "../own-wallet.js";
import { parseStrictInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";
import { clearTradingCookie, getCookie, setTradingCookie, TRADING_COOKIE } from "../web-session.js";

export interface WalletRoutesOptions {
  readonly wallets: WalletService;
  readonly sessions: SessionManager;
  readonly store: Store;
  readonly requireAccess: RequireAccess;
  /** Reads balances from the chain; absent when no chain is configured. */
  readonly getBalances?: (owner: Address) => Promise<WalletBalances>;
  readonly limits?: { readonly perIp?: RateLimit; readonly perUser?: RateLimit };
}

// Length is checked by the service too; here it keeps huge bodies out of argon2's queue.
const password = z.string().min(1).max(MAX_PASSWORD_LENGTH);
// The service refuses a weak one with WEAK_PASSWORD (and says why), before any argon2 work.
const newPassword = password.describe(
  `At least ${MIN_NEW_PASSWORD_LENGTH} characters and not a commonly used password (WEAK_PASSWORD)`,
);
// The body limit bounds it; the service checks for 64 bytes and answers INVALID_SECRET_KEY otherwise.
const secretKey = z
  .union([z.string().min(1).max(1024), z.array(z.unknown())])
  .describe("base58 of the 64 bytes, or solana-keygen's JSON array of 64 numbers (or its text)");
const label = z.string().trim().min(1).max(64);
const walletParams = z.object({ id: z.string().max(64) });
const iso = (ms: number) => new Date(ms).toISOString();

function describeWallet(wallet: WalletRecord) {
  return {
    id: wallet.id,
    label: wallet.label,
    publicKey: wallet.publicKey,
    active: wallet.active,
    createdAt: iso(wallet.createdAt),
    updatedAt: iso(wallet.updatedAt),
  };
}

/**
 * The session token of a request, from `X-Trading-Session`; for a web session (login cookie)
 * without that header, from the httpOnly `osprey_trading` cookie set at unlock.
 */
export function getSessionToken(request: FastifyRequest): string {
  const header = request.headers["x-trading-session"];
  const token =
    header === undefined && request.viaCookie ? getCookie(request, TRADING_COOKIE) : header;
  if (typeof token !== "string" || token.length === 0 || token.length > 256) {
    throw new OspreyError(
      "SESSION_NOT_FOUND",
      "Send the trading session token in X-Trading-Session.",
    );
  }
  return token;
}

/** Wallets and trading sessions: create, import, list, rename, export, unlock, revoke. */
export function createWalletRoutes(options: WalletRoutesOptions): RouteModule {
  const { wallets, sessions, store, requireAccess } = options;
  const perIp = options.limits?.perIp ?? { limit: 120, windowMs: 60_000 };
  const perUser = options.limits?.perUser ?? { limit: 120, windowMs: 60_000 };
  const limits = { bucket: "wallet", perAddress: perIp, perUser };
  // Reading; using a session; managing wallets; and what only a login may do (a key's secrets).
  const read = requireAccess("read", limits);
  const trade = requireAccess("trade", limits);
  const full = requireAccess("full", limits);
  const loginOnly = requireAccess("login", limits);

  const ownWallet = (request: FastifyRequest, id: string) => getOwnWallet(store, request, id);

  async function saveUpgrade(wallet: WalletRecord, upgraded: string | null) {
    if (upgraded)
      await store.wallets.replaceEnvelope(wallet.userId, wallet.id, wallet.envelope, upgraded);
  }

  async function withBalances(wallet: WalletRecord) {
    if (!options.getBalances) return { ...describeWallet(wallet), balances: null };
    try {
      const balances = await options.getBalances(wallet.publicKey);
      return {
        ...describeWallet(wallet),
        solLamports: balances.solLamports.toString(),
        tokens: balances.tokens.map((token) => ({ ...token, amount: token.amount.toString() })),
        slot: balances.slot.toString(),
      };
    } catch {
      // The wallet is still the user's to see when the chain is down; balances say they are unknown.
      return {
        ...describeWallet(wallet),
        solLamports: null,
        tokens: null,
        balancesError: "RPC_UNAVAILABLE",
      };
    }
  }

  return (app) => {
    const created = async (
      userId: Parameters<WalletService["createWallet"]>[0],
      made: { id: WalletId; publicKey: Address; envelope: string },
      walletLabel: string | undefined,
    ) => {
      const wallet = await store.wallets.create({
        ...made,
        userId,
        label: walletLabel ?? "wallet",
      });
      return { id: wallet.id, publicKey: wallet.publicKey };
    };
    const createdSchema = { 201: z.object({ id: z.string(), publicKey: z.string() }) };

    app.post(
      "/v1/wallets",
      {
        onRequest: full,
        schema: {
          tags: ["wallets"],
          summary: "Create a wallet with a fresh keypair, encrypted under its password",
          body: z.strictObject({ password: newPassword, label: label.optional() }),
          response: createdSchema,
        },
      },
      async (request, reply) => {
        const { userId } = getPrincipal(request);
        const made = await wallets.createWallet(userId, request.body.password);
        return reply.status(201).send(await created(userId, made, request.body.label));
      },
    );

    app.post(
      "/v1/wallets/import",
      {
        onRequest: full,
        schema: {
          tags: ["wallets"],
          summary: "Import a secret key (base58, or solana-keygen's JSON array)",
          body: z.strictObject({ password: newPassword, secretKey, label: label.optional() }),
          response: createdSchema,
        },
      },
      async (request, reply) => {
        const { userId } = getPrincipal(request);
        const made = await wallets.importWallet(
          userId,
          request.body.password,
          request.body.secretKey,
        );
        return reply.status(201).send(await created(userId, made, request.body.label));
      },
    );

    app.get(
      "/v1/wallets",
      {
        onRequest: read,
        schema: { tags: ["wallets"], summary: "Your wallets with balances" },
      },
      async (request) => {
        const list = await store.wallets.listForUser(getPrincipal(request).userId);
        return Promise.all(list.map(withBalances));
      },
    );

    app.get(
      "/v1/wallets/:id",
      {
        onRequest: read,
        schema: {
          tags: ["wallets"],
          summary: "One wallet with balances",
          params: walletParams,
        },
      },
      async (request) => withBalances(await ownWallet(request, request.params.id)),
    );

    app.patch(
      "/v1/wallets/:id",
      {
        onRequest: full,
        schema: {
          tags: ["wallets"],
          summary: "Rename or deactivate a wallet",
          params: walletParams,
          body: z.strictObject({ label: label.optional(), active: z.boolean().optional() }),
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        const { label: newLabel, active } = request.body;
        await store.wallets.update(wallet.userId, wallet.id, {
          ...(newLabel !== undefined ? { label: newLabel } : {}),
          ...(active !== undefined ? { active } : {}),
        });
        // A deactivated wallet must not keep trading through sessions opened before.
        if (active === false) await sessions.revokeAllForWallet(wallet.id);
        return describeWallet(await ownWallet(request, wallet.id));
      },
    );

    app.post(
      "/v1/wallets/:id/export",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["wallets"],
          summary: "Export the secret key (base58); needs the wallet password and is audited",
          params: walletParams,
          body: z.strictObject({ password }),
          response: { 200: z.object({ secretKey: z.string() }) },
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        const result = await wallets.exportWallet({
          userId: wallet.userId,
          wallet,
          password: request.body.password,
        });
        await saveUpgrade(wallet, result.upgradedEnvelope);
        return { secretKey: result.secretKey };
      },
    );

    app.post(
      "/v1/wallets/:id/unlock",
      {
        onRequest: trade,
        schema: {
          tags: ["sessions"],
          summary: "Open a trading session; send its token as X-Trading-Session",
          description:
            "The session ends when it is idle too long or reaches its limit, when it is revoked, and when the credential that opened it ends: logging out the login token, or revoking the API key. Called with the web session cookie, it also sets the httpOnly cookie osprey_trading, which then stands in for X-Trading-Session on that session's requests.",
          params: walletParams,
          body: z.strictObject({ password }),
          response: {
            200: z.object({
              sessionToken: z.string(),
              expiresAt: z.string(),
              absoluteExpiresAt: z.string(),
              passwordChangeRequired: z
                .boolean()
                .describe(
                  "True when the wallet's password is weaker than the policy allows (it predates it): change it with POST /v1/wallets/{id}/password",
                ),
            }),
          },
        },
      },
      async (request, reply) => {
        const wallet = await ownWallet(request, request.params.id);
        if (!wallet.active) throw new OspreyError("CONFLICT", "This wallet is deactivated.");
        const result = await wallets.unlockWallet({
          userId: wallet.userId,
          wallet,
          password: request.body.password,
          openedBy: getCredentialRef(getPrincipal(request)),
        });
        await saveUpgrade(wallet, result.upgradedEnvelope);
        if (request.viaCookie)
          setTradingCookie(request, reply, result.sessionToken, result.absoluteExpiresAt);
        return {
          sessionToken: result.sessionToken,
          expiresAt: iso(result.expiresAt),
          absoluteExpiresAt: iso(result.absoluteExpiresAt),
          passwordChangeRequired: result.passwordChangeRequired,
        };
      },
    );

    app.post(
      "/v1/wallets/:id/password",
      {
        onRequest: loginOnly,
        schema: {
          tags: ["wallets"],
          summary: "Change a wallet's password; ends its trading sessions",
          params: walletParams,
          body: z.strictObject({ password, newPassword }),
          response: { 200: z.object({ revokedSessions: z.number() }) },
        },
      },
      async (request) => {
        const wallet = await ownWallet(request, request.params.id);
        return wallets.changeWalletPassword({
          userId: wallet.userId,
          wallet,
          password: request.body.password,
          newPassword: request.body.newPassword,
          save: async (envelope) => {
            if (
              !(await store.wallets.replaceEnvelope(
                wallet.userId,
                wallet.id,
                wallet.envelope,
                envelope,
              ))
            ) {
              throw new OspreyError("CONFLICT", "The wallet changed meanwhile; try again.");
            }
          },
        });
      },
    );

    app.get(
      "/v1/sessions/current",
      {
        onRequest: trade,
        schema: {
          tags: ["sessions"],
          summary: "The trading session in X-Trading-Session (extends its idle time)",
          response: {
            200: z.object({
              sessionId: z.string(),
              walletId: z.string(),
              publicKey: z.string(),
              expiresAt: z.string(),
              absoluteExpiresAt: z.string(),
            }),
          },
        },
      },
      async (request) => {
        const { userId } = getPrincipal(request);
        return sessions.withKey(getSessionToken(request), userId, async (key) => ({
          sessionId: key.sessionId,
          walletId: key.walletId,
          publicKey: key.publicKey,
          expiresAt: iso(key.expiresAt),
          absoluteExpiresAt: iso(key.absoluteExpiresAt),
        }));
      },
    );

    app.delete(
      "/v1/sessions/current",
      {
        onRequest: trade,
        schema: {
          tags: ["sessions"],
          summary: "Revoke the session in X-Trading-Session",
        },
      },
      async (request, reply) => {
        const token = getSessionToken(request);
        // The cookie goes whatever the store says: a dead session's cookie is no use either.
        if (request.viaCookie) clearTradingCookie(request, reply);
        const revoked = await wallets.revokeSession(getPrincipal(request).userId, token);
        if (!revoked) throw new OspreyError("SESSION_NOT_FOUND");
        return reply.status(204).send();
      },
    );

    app.delete(
      "/v1/sessions",
      {
        onRequest: full,
        schema: { tags: ["sessions"], summary: "Revoke all of your trading sessions" },
      },
      async (request) => ({
        revoked: await wallets.revokeAllSessions(getPrincipal(request).userId),
      }),
    );

    app.get(
      "/v1/audit",
      {
        onRequest: read,
        schema: { tags: ["accounts"], summary: "Your audit log, newest first" },
      },
      async (request) => {
        const entries = await store.audit.listForUser(getPrincipal(request).userId);
        return entries.map((entry) => ({ ...entry, at: iso(entry.at) }));
      },
    );

    app.get(
      "/v1/audit/:id",
      {
        onRequest: read,
        schema: {
          tags: ["accounts"],
          summary: "One audit entry",
          params: z.object({ id: z.string().max(20) }),
        },
      },
      async (request) => {
        // "0x10" or "1e1" is no entry's id: only plain digits name one.
        const id = parseStrictInteger(request.params.id);
        const entry =
          id === undefined
            ? undefined
            : await store.audit.findForUser(getPrincipal(request).userId, id);
        if (!entry) throw new OspreyError("NOT_FOUND", "No such audit entry.");
        return { ...entry, at: iso(entry.at) };
      },
    );
  };
}
