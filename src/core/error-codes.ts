/**
 * Every error code Osprey can produce, with its default message and HTTP status.
 * `expose` marks a 5xx whose message and context are safe to show to clients.
 * `retryAfterSeconds` marks a passing failure (a dependency down, the server busy): the API sends
 * it as `Retry-After`, unless the error carries its own `retryAfterMs`.
 * Callers branch on the code, never on message text; the API maps codes to statuses here only.
 */
export const ERROR_CODES = {
  // input
  INVALID_INPUT: { status: 400, message: "The request is not valid." },
  INVALID_ADDRESS: { status: 400, message: "Not a valid base58 address of 32 bytes." },
  INVALID_SIGNATURE: { status: 400, message: "Not a valid base58 signature of 64 bytes." },
  INVALID_AMOUNT: { status: 400, message: "Amounts must be whole numbers of base units." },
  INVALID_ID: { status: 400, message: "Not a valid identifier." },
  MALFORMED_JSON: { status: 400, message: "The request body is not valid JSON." },
  PAYLOAD_TOO_LARGE: { status: 413, message: "The request body is too large." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "The request body must be JSON." },
  MALFORMED_REQUEST: {
    status: 400,
    message: "The HTTP request is malformed (request line, URL encoding or headers).",
  },
  URI_TOO_LONG: { status: 414, message: "A path segment of the URL is too long." },
  HEADERS_TOO_LARGE: { status: 431, message: "The request headers are too large." },
  REQUEST_TIMEOUT: { status: 408, message: "The request was not received in time." },
  EXPECTATION_FAILED: { status: 417, message: "Only `Expect: 100-continue` is supported." },
  // routing and auth
  NOT_FOUND: { status: 404, message: "Not found." },
  ROUTE_NOT_FOUND: { status: 404, message: "No such route." },
  METHOD_NOT_ALLOWED: { status: 405, message: "Method not allowed on this route." },
  UNAUTHENTICATED: { status: 401, message: "Authentication is required." },
  FORBIDDEN: { status: 403, message: "Not allowed." },
  INSUFFICIENT_SCOPE: { status: 403, message: "This API key's scope does not allow this." },
  LOGIN_REQUIRED: {
    status: 403,
    message: "This needs a login token (POST /v1/auth/login), not an API key.",
  },
  CSRF_FAILED: {
    status: 403,
    message:
      "Send the X-CSRF-Token header (the osprey_csrf cookie's value) with the session cookie.",
  },
  CONFLICT: { status: 409, message: "The request conflicts with the current state." },
  RATE_LIMITED: { status: 429, message: "Too many requests; retry later." },
  // wallets and trading sessions
  INVALID_SECRET_KEY: { status: 400, message: "Not a valid Solana secret key." },
  INVALID_PASSWORD: { status: 400, message: "The password must be 1 to 256 characters." },
  WEAK_PASSWORD: {
    status: 400,
    message: "A wallet password is at least 10 characters and not a commonly used password.",
  },
  WALLET_DECRYPT_FAILED: {
    status: 403,
    message: "Wrong password, or the wallet could not be decrypted.",
  },
  ENVELOPE_INVALID: { status: 500, message: "The stored wallet key is malformed." },
  WALLET_KEY_MISMATCH: {
    status: 500,
    message: "The stored wallet key does not match its public key.",
  },
  SESSION_NOT_FOUND: { status: 401, message: "No such trading session." },
  SESSION_EXPIRED: {
    status: 401,
    message: "The trading session has expired; unlock the wallet again.",
  },
  BUSY: { status: 503, message: "The server is busy; retry shortly.", retryAfterSeconds: 1 },
  // configuration
  CONFIG_INVALID: { status: 500, message: "The configuration is not valid." },
  // dependencies: a client gets 503 and a Retry-After whichever one is down
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: "The database is unavailable.",
    retryAfterSeconds: 2,
  },
  KV_UNAVAILABLE: {
    status: 503,
    message: "The session store is unavailable.",
    retryAfterSeconds: 2,
  },
  NOT_READY: {
    status: 503,
    message: "A dependency is not ready.",
    expose: true,
    retryAfterSeconds: 5,
  },
  SHUTTING_DOWN: {
    status: 503,
    message: "The server is shutting down; retry shortly.",
    retryAfterSeconds: 5,
  },
  RPC_UNAVAILABLE: {
    status: 503,
    message: "No Solana RPC endpoint is available.",
    retryAfterSeconds: 5,
  },
  RPC_TIMEOUT: {
    status: 503,
    message: "The Solana RPC endpoint did not answer in time.",
    retryAfterSeconds: 5,
  },
  RPC_ENDPOINT_ERROR: {
    status: 503,
    message: "The Solana RPC endpoint failed to serve the request.",
    retryAfterSeconds: 5,
  },
  RPC_CONFIG_INVALID: { status: 500, message: "The Solana RPC endpoint list is not valid." },
  TRANSACTION_EXPIRED: {
    status: 409,
    message: "The transaction's blockhash expired before it landed.",
  },
  TRANSACTION_FAILED: { status: 422, message: "The transaction failed on chain." },
  LANDER_CLOSED: {
    status: 503,
    message: "The transaction lander was shut down; resume tracking after restart.",
    retryAfterSeconds: 5,
  },
  /**
   * A protected (MEV-protected) landing or order needs a private route (JITO_URLS or SENDER_URLS)
   * and, for an order, Swap API v2. (landing and engine both added it: one entry.)
   */
  MEV_PROTECTION_UNAVAILABLE: {
    status: 422,
    message:
      "MEV protection needs a private landing route (JITO_URLS or SENDER_URLS) and Swap API v2; nothing was sent.",
  },
  /** A block engine or sender answered a JSON-RPC error (a refused bundle, a bad request). */
  BLOCK_ENGINE_ERROR: { status: 502, message: "The block engine refused the request." },
  /** The tip could not be decided: the tip floor or the tip accounts could not be read. */
  TIP_UNAVAILABLE: {
    status: 503,
    message: "The tip could not be decided (tip floor or tip accounts unreadable).",
    retryAfterSeconds: 5,
  },
  // swap API
  NO_ROUTE: { status: 422, message: "No route can swap this token." },
  SLIPPAGE: { status: 409, message: "The price moved past the slippage tolerance; quote again." },
  API_ERROR: { status: 502, message: "The swap API failed." },
  /** Unreachable, timed out or a 5xx: the swap API is down, not wrong about this request. */
  SWAP_API_UNAVAILABLE: {
    status: 503,
    message: "The swap API is unavailable.",
    retryAfterSeconds: 5,
  },
  /** Jupiter's token search (or the sandbox's) is down: a text search cannot be answered. */
  TOKEN_LIST_UNAVAILABLE: {
    status: 503,
    message: "The token list is unavailable.",
    retryAfterSeconds: 5,
  },
  // token safety
  TOKEN_NOT_FOUND: { status: 404, message: "No token mint exists at this address." },
  NOT_A_MINT: {
    status: 400,
    message: "This address is not a token mint (a wallet, a token account or a program?).",
  },
  // orders
  IDEMPOTENCY_KEY_REQUIRED: {
    status: 400,
    message: "Send an Idempotency-Key header of 1 to 128 characters (letters, digits, - _ . : ).",
  },
  IDEMPOTENCY_CONFLICT: {
    status: 409,
    message: "This idempotency key was already used for an order with other parameters.",
  },
  ORDER_NOT_FOUND: { status: 404, message: "No such order." },
  SAFETY_BLOCKED: {
    status: 422,
    message: "The token failed the safety checks; the order was rejected.",
  },
  RISK_NOT_ACCEPTED: {
    status: 422,
    message: "The token carries risks; send acceptRisk: true to trade it anyway.",
  },
  INSUFFICIENT_FUNDS: { status: 422, message: "The wallet does not hold enough for this order." },
  SWAP_SIMULATION_FAILED: {
    status: 422,
    message: "The swap would fail on chain as built; nothing was sent.",
  },
  // withdrawals and the faucet
  WITHDRAW_TO_SELF: {
    status: 400,
    message: "The destination is this wallet's own address; nothing would move.",
  },
  INSUFFICIENT_BALANCE: {
    status: 400,
    message: "The wallet does not hold enough for this withdrawal and its network fee.",
  },
  SESSION_WALLET_MISMATCH: {
    status: 403,
    message: "The trading session belongs to another wallet; unlock this one.",
  },
  WITHDRAWAL_NOT_FOUND: { status: 404, message: "No such withdrawal." },
  FAUCET_UNAVAILABLE: {
    status: 404,
    message: "There is no faucet: Osprey is not running on its sandbox chain.",
  },
  // settings
  INVALID_SETTINGS: {
    status: 400,
    message: "The settings are not valid; nothing was saved.",
  },
  // automation (standing orders)
  /** 501, not 503: it is how the server is configured, not a failure that will pass. */
  AUTOMATION_DISABLED: {
    status: 501,
    expose: true,
    message:
      "Automation is off on this server: the operator has not set AUTOMATION_KEY (or AUTOMATION_KEY_FILE).",
  },
  GRANT_NOT_FOUND: { status: 404, message: "This wallet has no active automation grant." },
  /** A grant past its expiry: it cannot sign, and its key has been (or is being) destroyed. */
  GRANT_EXPIRED: {
    status: 409,
    message: "The automation grant has expired; it can no longer sign.",
  },
  /** The grant does not allow this trigger type. */
  GRANT_TYPE_NOT_ALLOWED: {
    status: 422,
    message: "The wallet's automation grant does not allow this order type.",
  },
  /** A firing would break the grant's per-order or per-day SOL limit: no order was placed. */
  GRANT_LIMIT_EXCEEDED: {
    status: 422,
    message: "The order would exceed the automation grant's limits; it was not placed.",
  },
  TRIGGER_NOT_FOUND: { status: 404, message: "No such trigger." },
  /** Cancelling (or changing) a trigger that has already fired, failed, expired or been cancelled. */
  TRIGGER_NOT_ACTIVE: { status: 409, message: "The trigger is no longer armed." },
  /** A take-profit or stop-loss on a token the wallet does not hold. */
  POSITION_NOT_FOUND: { status: 422, message: "The wallet holds no position in this token." },
  /** The executable price (a quote for the trigger's size) does not meet the trigger's price. */
  TRIGGER_PRICE_NOT_MET: {
    status: 409,
    message: "The executable price does not meet the trigger's price; nothing was placed.",
  },
  /** No fresh price for the token: a relative trigger price cannot be set, nothing fires. */
  PRICE_UNAVAILABLE: {
    status: 503,
    expose: true,
    message: "No fresh price for this token.",
    retryAfterSeconds: 5,
  },
  // telegram
  /** One Telegram account to one user: either side already linked. */
  TELEGRAM_ALREADY_LINKED: {
    status: 409,
    message: "This Telegram account or this user is already linked.",
  },
  /** A link code or web link that is unknown, used already or expired: nothing was done. */
  TELEGRAM_TOKEN_INVALID: {
    status: 400,
    message: "This link or code is not valid: it may have been used already or have expired.",
  },
  /** The operator has not set TELEGRAM_BOT_TOKEN: there is no bot to link or hand a session to. */
  TELEGRAM_DISABLED: {
    status: 501,
    expose: true,
    message: "Telegram is off on this server: the operator has not set TELEGRAM_BOT_TOKEN.",
  },
  /** The user has no linked Telegram account (send /start to the bot, or link from Settings). */
  TELEGRAM_NOT_LINKED: {
    status: 409,
    message: "No Telegram account is linked to this user.",
  },
  // bugs
  INTERNAL: { status: 500, message: "Internal error." },
  WEB_NOT_BUILT: {
    status: 503,
    message: "The web terminal is not built yet: `npm run build:web` (or restart `npm start`).",
    expose: true,
    retryAfterSeconds: 5,
  },
} as const satisfies Record<
  string,
  { status: number; message: string; expose?: boolean; retryAfterSeconds?: number }
>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

export function getHttpStatus(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/**
 * Whether a client may see the error's own message and context. Client errors (4xx) always;
 * server errors only when the table says their context is harmless (e.g. which check failed).
 */
export function isErrorExposed(code: ErrorCode): boolean {
  const entry: { status: number; expose?: boolean } = ERROR_CODES[code];
  return entry.status < 500 || entry.expose === true;
}

/** Seconds a client should wait before retrying, for the codes that say a failure will pass. */
export function getRetryAfterSeconds(code: ErrorCode): number | undefined {
  const entry: { status: number; retryAfterSeconds?: number } = ERROR_CODES[code];
  return entry.retryAfterSeconds;
}
