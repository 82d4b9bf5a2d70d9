/** A small typed client over fetch for the Osprey HTTP API (shapes as in CONTRACTS.md). */

export type OrderStatus =
  | "PENDING"
  | "QUOTED"
  | "SIGNED"
  | "SUBMITTED"
  | "CONFIRMED"
  | "FAILED"
  | "EXPIRED"
  | "REJECTED";

export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  "CONFIRMED",
  "FAILED",
  "EXPIRED",
  "REJECTED",
]);

export interface Order {
  readonly id: string;
  readonly side: "buy" | "sell";
  readonly mint: string;
  readonly status: OrderStatus;
  readonly walletId?: string;
  readonly amountIn: string | null;
  readonly amountOut: string | null;
  readonly commissionLamports: string | null;
  readonly commissionUsd: string | number | null;
  readonly signature: string | null;
  readonly slot: number | string | null;
  readonly error: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly events: readonly { status: string; at: string; detail?: unknown }[];
}

export interface SafetyCheck {
  readonly id: string;
  readonly severity: string;
  readonly status: "pass" | "warn" | "fail" | "unknown";
  readonly detail: string;
}

export interface SafetyReportBody {
  readonly mint: string;
  readonly symbol?: string | null;
  readonly name?: string | null;
  readonly decimals: number;
  readonly verdict: "ok" | "warn" | "block";
  readonly score: number;
  readonly checks: readonly SafetyCheck[];
}

export interface WalletBody {
  readonly id: string;
  readonly publicKey: string;
  readonly label: string;
  readonly solLamports: string | null;
  readonly tokens: readonly { mint: string; amount: string; decimals: number }[] | null;
}

export type OrderBody =
  | {
      side: "buy";
      mint: string;
      amountLamports: string;
      slippageBps?: number;
      acceptRisk?: boolean;
    }
  | { side: "sell"; mint: string; amount?: string; percent?: number; slippageBps?: number };

/** A failed call: the server's error code, or one of ours (API_UNREACHABLE, API_TIMEOUT, BAD_RESPONSE). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface ApiClientOptions {
  readonly baseUrl: string;
  readonly token?: string;
  readonly session?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

type Method = "GET" | "POST" | "DELETE";

export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.session) headers["x-trading-session"] = options.session;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw toNetworkError(error, base, timeoutMs);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      throw new ApiError(
        "BAD_RESPONSE",
        `${method} ${path} answered ${response.status} with a body that is not JSON`,
        response.status,
      );
    }
    if (!response.ok) throw toApiError(parsed, response.status, method, path);
    return parsed as T;
  }

  const mint = (value: string) => encodeURIComponent(value);
  return {
    baseUrl: base,
    request,
    register: (username: string, password: string) =>
      request<{ userId: string }>("POST", "/v1/auth/register", { username, password }),
    login: (username: string, password: string) =>
      request<{ token: string; expiresAt: string }>("POST", "/v1/auth/login", {
        username,
        password,
      }),
    createWallet: (password: string, label?: string) =>
      request<{ id: string; publicKey: string }>("POST", "/v1/wallets", {
        password,
        ...(label === undefined ? {} : { label }),
      }),
    listWallets: () => request<WalletBody[]>("GET", "/v1/wallets"),
    unlockWallet: (id: string, password: string) =>
      request<{ sessionToken: string; expiresAt: string }>(
        "POST",
        `/v1/wallets/${encodeURIComponent(id)}/unlock`,
        { password },
      ),
    revokeSession: () => request<unknown>("DELETE", "/v1/sessions/current"),
    getSafety: (address: string) =>
      request<SafetyReportBody>("GET", `/v1/tokens/${mint(address)}/safety`),
    createOrder: (order: OrderBody, idempotencyKey: string) =>
      request<Order>("POST", "/v1/orders", order, { "idempotency-key": idempotencyKey }),
    getOrder: (id: string) => request<Order>("GET", `/v1/orders/${encodeURIComponent(id)}`),
    listOrders: async () =>
      unwrapList<Order>(await request<unknown>("GET", "/v1/orders"), "orders"),
    listPositions: async () =>
      unwrapList<Record<string, unknown>>(
        await request<unknown>("GET", "/v1/positions"),
        "positions",
      ),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Polls an order until it reaches a terminal status; the clock is a parameter for tests. */
export async function waitForOrder(
  client: ApiClient,
  id: string,
  { timeoutMs = 90_000, intervalMs = 250, sleep = defaultSleep } = {},
): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await client.getOrder(id);
    if (TERMINAL_STATUSES.has(order.status)) return order;
    if (Date.now() >= deadline)
      throw new ApiError("ORDER_WAIT_TIMEOUT", `order ${id} is still ${order.status}`, null);
    await sleep(intervalMs);
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// A list route may answer a bare array or an object wrapping it; both read the same.
function unwrapList<T>(value: unknown, key: string): T[] {
  if (Array.isArray(value)) return value as T[];
  const inner = (value as Record<string, unknown> | null)?.[key];
  return Array.isArray(inner) ? (inner as T[]) : [];
}

function toApiError(body: unknown, status: number, method: Method, path: string): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })
    ?.error;
  if (error && typeof error.code === "string")
    return new ApiError(
      error.code,
      typeof error.message === "string" ? error.message : error.code,
      status,
      error.details,
    );
  return new ApiError(`HTTP_${status}`, `${method} ${path} answered ${status}`, status);
}

function toNetworkError(error: unknown, base: string, timeoutMs: number): ApiError {
  const name = (error as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError")
    return new ApiError("API_TIMEOUT", `no answer from ${base} within ${timeoutMs} ms`, null);
  const cause = (error as { cause?: { code?: string } } | null)?.cause?.code;
  return new ApiError(
    "API_UNREACHABLE",
    `cannot reach the Osprey API at ${base}${cause ? ` (${cause})` : ""}; is \`osprey serve\` running?`,
    null,
  );
}
