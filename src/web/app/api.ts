/**
 * The typed API client of the terminal. The login lives in the httpOnly `osprey_session`
 * cookie (never readable here); unsafe requests carry `X-CSRF-Token` from `osprey_csrf`.
 * Shapes follow /work/helpers/CONTRACTS17.md and src/api/routes/*.
 */

export type Role = "user" | "admin";
export interface Me {
  id: string;
  username: string;
  role: Role;
}
export interface Meta {
  cluster: string;
  faucet: boolean;
  explorerUrl: string | null;
  feeBps: number;
  solMint: string;
  /** A private landing route is configured: orders may ask for MEV protection. */
  mevProtection?: boolean;
  /** The operator set AUTOMATION_KEY: wallets can be granted standing orders. */
  automation?: boolean;
}
export interface TokenBalance {
  mint: string;
  account: string;
  program: string;
  amount: string;
  decimals: number;
}
export interface Wallet {
  id: string;
  label: string;
  publicKey: string;
  active: boolean;
  createdAt: string;
  solLamports?: string | null;
  tokens?: TokenBalance[] | null;
  balancesError?: string;
}
export interface TradingSession {
  sessionId: string;
  walletId: string;
  publicKey: string;
  expiresAt: string;
  absoluteExpiresAt?: string;
}
export interface Unlocked {
  expiresAt: string;
  absoluteExpiresAt: string;
  passwordChangeRequired: boolean;
}
export type PriorityLevel = "none" | "low" | "medium" | "high" | "veryHigh";
export interface Settings {
  buyPresetsLamports: string[];
  sellPresetsPercent: number[];
  slippageBps: number;
  priorityLevel: PriorityLevel;
  /** The most one transaction's priority fee may be, lamports as a string. */
  maxPriorityFeeLamports: string;
  mevProtection: boolean;
  /** A protected order's tip in lamports; null: Osprey picks it. */
  tipLamports: string | null;
}
/** What one order may set differently from the settings (POST /v1/orders). */
export interface OrderOverrides {
  slippageBps?: number;
  priorityLevel?: PriorityLevel;
  maxPriorityFeeLamports?: string;
  mevProtection?: boolean;
  tipLamports?: string | null;
}
export interface TokenListItem {
  mint: string;
  name: string;
  symbol: string;
  decimals: number;
  icon: string | null;
  verified: boolean;
  priceUsd: number | null;
  liquidityUsd: number | null;
}
export interface TokenInfo extends TokenListItem {
  priceSol: number | null;
  tokenProgram: string;
}
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}
export type Verdict = "ok" | "warn" | "block";
export type CheckStatus = "pass" | "warn" | "fail" | "unknown";
export interface SafetyCheck {
  id: string;
  severity: "info" | "low" | "medium" | "high" | "critical";
  status: CheckStatus;
  detail: string;
}
export interface SafetyReport {
  mint: string;
  name: string | null;
  symbol: string | null;
  decimals: number;
  verdict: Verdict;
  score: number;
  checks: SafetyCheck[];
  analyzedAt: string;
}
export interface Quote {
  side: "buy" | "sell";
  mint: string;
  inAmount: string;
  outAmount: string;
  minAmountOut: string;
  priceImpact: number | string;
  feeLamports: string;
  feeBps: number;
  slippageBps: number;
}
export interface StatusEvent {
  status: string;
  at: string;
  /** Order events: an object (e.g. networkFeeLamports at CONFIRMED); withdrawals: text or object. */
  detail: Record<string, unknown> | string | null;
}
export interface Order {
  id: string;
  side: "buy" | "sell";
  mint: string;
  status: string;
  amountIn: string;
  amountOut: string | null;
  minAmountOut: string | null;
  slippageBps: number;
  commissionLamports: string | null;
  commissionUsd: string | null;
  signature: string | null;
  error: string | null;
  walletId: string;
  createdAt: string;
  updatedAt: string;
  feeLamports?: string | null;
  /** What the landed transaction paid the network (its meta.fee, the priority fee included). */
  networkFeeLamports?: string | null;
  priorityFeeLamports?: string | null;
  tipLamports?: string | null;
  mevProtected?: boolean;
  events: StatusEvent[];
}
export interface Position {
  walletId: string;
  mint: string;
  amount: string;
  decimals: number | null;
  costLamports: string;
  costUsd: string;
  avgCostLamports: string | null;
  avgCostUsd: string | null;
  realizedPnlLamports: string;
  realizedPnlUsd: string | null;
  valueLamports: string | null;
  valueUsd: string | null;
  unrealizedPnlLamports: string | null;
  unrealizedPnlUsd: string | null;
}
export interface Withdrawal {
  id: string;
  walletId: string;
  to: string;
  mint: string | null;
  amount: string;
  status: string;
  signature: string | null;
  error: string | null;
  feeLamports: string | null;
  createdAt: string;
  updatedAt: string;
  events: StatusEvent[];
}
export interface AdminOverview {
  users: {
    total: number;
    list: {
      id: string;
      username: string;
      role: string;
      createdAt: string;
      wallets: number;
      orders: number;
    }[];
  };
  ordersByStatus: Record<string, number>;
  daily: {
    day: string;
    orders: number;
    volumeLamports: string;
    commissionLamports: string;
    commissionUsd: string | number | null;
  }[];
  rpc: { url: string; healthy: boolean; latencyMs: number | null; [key: string]: unknown }[];
  recentFailures: {
    orderId: string;
    userId: string;
    username?: string | null;
    status: string;
    error: string | null;
    at: string;
  }[];
}

/** The chat's hold on a trading session: the bot may trade with it until `expiresAt`. */
export interface TelegramChatSession {
  walletId: string;
  publicKey: string;
  expiresAt: string;
}
/** GET /v1/telegram: whether the server runs a bot and whether this user's account is linked. */
export interface TelegramStatus {
  enabled: boolean;
  botUsername: string | null;
  linked: boolean;
  telegramUsername: string | null;
  linkedAt: string | null;
  chatSession: TelegramChatSession | null;
}
/** A one-time code the user sends the bot as `/start <code>`; `startLink` opens the chat with it. */
export interface TelegramLinkCode {
  code: string;
  expiresAt: string;
  startLink: string | null;
}

/** An API error as the page shows it: a sentence and its stable code. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Answers that mean "unlock (this wallet) and try again": the page asks, then retries. */
export const SESSION_CODES = new Set([
  "SESSION_NOT_FOUND",
  "SESSION_EXPIRED",
  "SESSION_WALLET_MISMATCH",
]);

export function isSessionError(error: unknown): boolean {
  return error instanceof ApiError && SESSION_CODES.has(error.code);
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
}

/** Called when the login itself is gone (401 UNAUTHENTICATED): the app shows the login screen. */
let onLoggedOut: () => void = () => {};
export function setLoggedOutHandler(handler: () => void) {
  onLoggedOut = handler;
}

/** A fresh Idempotency-Key: made once per user action and reused when that action is retried. */
export function newIdempotencyKey(): string {
  return `web-${crypto.randomUUID()}`;
}

interface CallOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  options: CallOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && method !== "HEAD") {
    const csrf = readCookie("osprey_csrf");
    if (csrf) headers["x-csrf-token"] = csrf;
  }
  if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(
      "NETWORK_ERROR",
      "The server could not be reached. Check the connection and try again.",
      0,
    );
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!response.ok) {
    const error = (
      json as { error?: { code?: string; message?: string; details?: unknown } } | undefined
    )?.error;
    const code = error?.code ?? `HTTP_${response.status}`;
    const failure = new ApiError(
      code,
      error?.message ?? `The server answered ${response.status}.`,
      response.status,
      error?.details,
    );
    if (response.status === 401 && !SESSION_CODES.has(code) && !path.startsWith("/v1/auth/"))
      onLoggedOut();
    throw failure;
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  register: (username: string, password: string) =>
    call<{ userId: string }>("POST", "/v1/auth/register", { username, password }),
  login: (username: string, password: string) =>
    call<{ expiresAt: string; csrfToken: string; user: Me }>("POST", "/v1/auth/login", {
      username,
      password,
      session: "cookie",
    }),
  logout: () => call<void>("POST", "/v1/auth/logout"),
  me: () => call<Me>("GET", "/v1/me"),
  meta: () => call<Meta>("GET", "/v1/meta"),
  wallets: () => call<Wallet[]>("GET", "/v1/wallets"),
  createWallet: (password: string, label?: string) =>
    call<{ id: string; publicKey: string }>("POST", "/v1/wallets", {
      password,
      ...(label ? { label } : {}),
    }),
  importWallet: (password: string, secretKey: string | number[], label?: string) =>
    call<{ id: string; publicKey: string }>("POST", "/v1/wallets/import", {
      password,
      secretKey,
      ...(label ? { label } : {}),
    }),
  exportWallet: (id: string, password: string) =>
    call<{ secretKey: string }>("POST", `/v1/wallets/${enc(id)}/export`, { password }),
  unlock: (id: string, password: string) =>
    call<Unlocked>("POST", `/v1/wallets/${enc(id)}/unlock`, { password }),
  currentSession: () => call<TradingSession>("GET", "/v1/sessions/current"),
  lock: () => call<void>("DELETE", "/v1/sessions/current"),
  faucet: (id: string) =>
    call<{ signature: string; lamports: string }>("POST", `/v1/wallets/${enc(id)}/faucet`, {}),
  withdraw: (
    id: string,
    body: { to: string; amount: string; mint?: string },
    idempotencyKey: string,
  ) => call<Withdrawal>("POST", `/v1/wallets/${enc(id)}/withdrawals`, body, { idempotencyKey }),
  withdrawals: (id: string) =>
    call<{ withdrawals: Withdrawal[] }>("GET", `/v1/wallets/${enc(id)}/withdrawals`),
  settings: () => call<Settings>("GET", "/v1/settings"),
  saveSettings: (settings: Settings) => call<Settings>("PUT", "/v1/settings", settings),
  searchTokens: (query: string, signal?: AbortSignal) =>
    call<{ tokens: TokenListItem[] }>(
      "GET",
      `/v1/tokens?query=${enc(query)}`,
      undefined,
      signal ? { signal } : {},
    ),
  token: (mint: string) => call<TokenInfo>("GET", `/v1/tokens/${enc(mint)}`),
  candles: (mint: string, minutes = 240) =>
    call<{ mint: string; candles: Candle[] }>(
      "GET",
      `/v1/tokens/${enc(mint)}/candles?minutes=${minutes}`,
    ),
  safety: (mint: string) => call<SafetyReport>("GET", `/v1/tokens/${enc(mint)}/safety`),
  quote: (
    query: { side: "buy" | "sell"; mint: string; amount: string; slippageBps: number },
    signal?: AbortSignal,
  ) =>
    call<Quote>(
      "GET",
      `/v1/quote?side=${query.side}&mint=${enc(query.mint)}&amount=${enc(query.amount)}&slippageBps=${query.slippageBps}`,
      undefined,
      signal ? { signal } : {},
    ),
  placeOrder: (body: Record<string, unknown>, idempotencyKey: string) =>
    call<Order>("POST", "/v1/orders", body, { idempotencyKey }),
  orders: (limit = 100) => call<{ orders: Order[] }>("GET", `/v1/orders?limit=${limit}`),
  positions: () => call<{ positions: Position[] }>("GET", "/v1/positions"),
  adminOverview: () => call<AdminOverview>("GET", "/v1/admin/overview"),
  /** Logs in with the one-time link the bot sent (no password): the same cookies as `login`. */
  telegramWebLogin: (token: string) =>
    call<{ expiresAt: string; csrfToken: string; user: Me }>("POST", "/v1/telegram/web-login", {
      token,
    }),
  telegram: () => call<TelegramStatus>("GET", "/v1/telegram"),
  /** Hands the unlocked trading session (its cookie) to the linked chat. */
  shareSessionWithTelegram: () => call<TelegramChatSession>("POST", "/v1/telegram/session", {}),
  telegramLinkCode: () => call<TelegramLinkCode>("POST", "/v1/telegram/link-code", {}),
  unlinkTelegram: () => call<void>("DELETE", "/v1/telegram"),
};
