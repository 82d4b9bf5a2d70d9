import type { Generated } from "kysely";

/**
 * Row shapes as the database returns them (camelCase through Kysely's CamelCasePlugin).
 * Money columns are decimal strings (TEXT on SQLite, NUMERIC on PostgreSQL) so every u64 value
 * round-trips exactly; repositories turn them into bigint. Times are epoch milliseconds.
 */
export type MoneyColumn = string;
export type Millis = number;
/** SQLite has no boolean: 0/1 there, true/false on PostgreSQL. Repositories normalise. */
export type BoolColumn = number | boolean;

export interface UsersTable {
  id: string;
  username: string;
  passwordHash: string;
  role: "user" | "admin";
  createdAt: Millis;
  disabledAt: Millis | null;
}

export interface ApiKeysTable {
  id: string;
  userId: string;
  name: string;
  keyHash: string;
  /** The first characters of the key, shown in listings so a user can tell keys apart. */
  keyPrefix: string;
  /** read | trade | full (accounts/api-key-scope.ts); the repository reads anything else as read. */
  scope: string;
  createdAt: Millis;
  lastUsedAt: Millis | null;
  revokedAt: Millis | null;
}

export interface AccessTokensTable {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Millis;
  expiresAt: Millis;
  revokedAt: Millis | null;
}

export interface WalletsTable {
  id: string;
  userId: string;
  label: string;
  publicKey: string;
  /** The encrypted key envelope (JSON text); its version is inside it. */
  envelope: string;
  active: BoolColumn;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface OrdersTable {
  id: string;
  userId: string;
  walletId: string;
  side: "buy" | "sell";
  mint: string;
  status: string;
  idempotencyKey: string;
  /** sha256 of the normalised request, so a reused key with other parameters is a 409. */
  requestHash: string;
  amountIn: MoneyColumn;
  amountOut: MoneyColumn | null;
  minAmountOut: MoneyColumn | null;
  slippageBps: number;
  commissionLamports: MoneyColumn | null;
  /** USD in micro-dollars (10^-6), exact. */
  commissionUsdMicros: MoneyColumn | null;
  signature: string | null;
  /** The signed transaction, base64, stored before the first send so a crash can resume it. */
  rawTransaction: string | null;
  lastValidBlockHeight: number | null;
  slot: number | null;
  error: string | null;
  /** The landed transaction's `meta.fee` (base and priority fee together), once CONFIRMED. */
  networkFeeLamports: MoneyColumn | null;
  /** Compute-unit price × limit, rounded up, as the runtime charged it; once CONFIRMED. */
  priorityFeeLamports: MoneyColumn | null;
  /** The tip paid to a block engine's tip account (protected orders), once CONFIRMED. */
  tipLamports: MoneyColumn | null;
  /** `protected`: landed (and resumed) through private routes only. */
  landingRoute: "public" | "protected";
  swapApi: "v1" | "v2";
  /** The standing order that placed it (src/automation); null for an order a user placed. */
  triggerId: string | null;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface OrderEventsTable {
  id: Generated<number>;
  orderId: string;
  status: string;
  at: Millis;
  /** JSON text. */
  detail: string | null;
}

export interface PositionsTable {
  userId: string;
  walletId: string;
  mint: string;
  amount: MoneyColumn;
  /** Lamports paid for the tokens still held (average-cost basis). */
  costLamports: MoneyColumn;
  /** USD paid for the tokens still held, in micro-dollars (SOL price at each fill). */
  costUsdMicros: MoneyColumn;
  realizedPnlLamports: MoneyColumn;
  updatedAt: Millis;
}

export interface AuditLogTable {
  id: Generated<number>;
  userId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  /** JSON text; never holds secrets. */
  detail: string | null;
  at: Millis;
}

/** Written only inside a transaction that is rolled back: /readyz's proof that writes work. */
export interface ReadinessProbeTable {
  id: string;
  at: Millis;
}

export interface WithdrawalsTable {
  id: string;
  userId: string;
  walletId: string;
  /** The recipient's address ("to" in the API). */
  destination: string;
  /** Null for SOL. */
  mint: string | null;
  amount: MoneyColumn;
  status: string;
  idempotencyKey: string;
  /** sha256 of the normalised request, so a reused key with another body is a 409. */
  requestHash: string;
  signature: string | null;
  /** The signed transaction, base64, stored before the first send so a crash can resume it. */
  rawTransaction: string | null;
  lastValidBlockHeight: number | null;
  /** The network fee the wallet paid, read from the landed transaction. */
  feeLamports: MoneyColumn | null;
  slot: number | null;
  error: string | null;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface WithdrawalEventsTable {
  id: Generated<number>;
  withdrawalId: string;
  status: string;
  at: Millis;
  /** JSON text. */
  detail: string | null;
}

/** A one-minute USD price candle (issue 17); `startedAt` is the minute's first millisecond. */
export interface PriceCandlesTable {
  mint: string;
  startedAt: Millis;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** A user's terminal settings, one JSON document (src/accounts/user-settings.ts). */
export interface UserSettingsTable {
  userId: string;
  /** JSON text. */
  settings: string;
  updatedAt: Millis;
}

/**
 * A wallet's automation grant (src/automation): the limits the user chose and the wallet key
 * re-encrypted under the operator's AUTOMATION_KEY, bound to them. `sealedKey` is null once the
 * grant is revoked or expired (the ciphertext is destroyed, not just marked).
 */
export interface AutomationGrantsTable {
  id: string;
  userId: string;
  walletId: string;
  publicKey: string;
  /** ACTIVE | REVOKED | EXPIRED */
  status: string;
  maxOrderLamports: MoneyColumn;
  maxDailyLamports: MoneyColumn;
  /** JSON array of trigger types the grant may fire. */
  orderTypes: string;
  expiresAt: Millis;
  /** JSON text of the sealed key box; null once revoked or expired. */
  sealedKey: string | null;
  createdAt: Millis;
  updatedAt: Millis;
  endedAt: Millis | null;
  endReason: string | null;
}

/** A standing order (src/automation/README.md). */
export interface TriggersTable {
  id: string;
  userId: string;
  walletId: string;
  /** limit_buy | take_profit | stop_loss | trailing_stop | dca */
  type: string;
  mint: string;
  decimals: number;
  /** ARMED | PAUSED | FIRING | FIRED | CANCELLED | EXPIRED | FAILED */
  status: string;
  reasonCode: string | null;
  reason: string | null;
  /** JSON text: the type's parameters as accepted (amounts as strings, prices as decimals). */
  params: string;
  /** USD per whole token, decimal text: the price that fires it (absolute, also for relative TP/SL). */
  triggerPrice: string | null;
  /** Trailing stop: the highest price seen since it was armed, decimal text. */
  highWaterPrice: string | null;
  /** Linked take-profit and stop-loss share it: one firing cancels the others. */
  ocoGroup: string | null;
  acceptRisk: BoolColumn;
  /** Firings claimed so far; the current firing's idempotency key is built from it. */
  firingNumber: number;
  /** DCA: when the next buy is due. */
  nextDueAt: Millis | null;
  leaseOwner: string | null;
  leaseUntil: Millis | null;
  expiresAt: Millis;
  createdAt: Millis;
  updatedAt: Millis;
}

/** One firing of a trigger: claimed before its order is placed, so a crash resumes it. */
export interface TriggerFiringsTable {
  triggerId: string;
  firingNumber: number;
  userId: string;
  grantId: string;
  /** `trigger:<triggerId>:<firingNumber>`: the order's idempotency key. */
  idempotencyKey: string;
  /** JSON text: the order request, fixed when the firing was claimed. */
  request: string;
  /** SOL this firing may spend (a buy's amount; 0 for sells), counted against the grant's day. */
  spendLamports: MoneyColumn;
  /** CLAIMED | PLACED | NOT_PLACED */
  status: string;
  orderId: string | null;
  reasonCode: string | null;
  reason: string | null;
  /** When the price crossed (the watcher's tick), for crossing-to-send timing. */
  crossedAt: Millis;
  createdAt: Millis;
  updatedAt: Millis;
}

/** A user's webhook: events are POSTed there, signed with HMAC-SHA256 under `secret`. */
export interface UserWebhooksTable {
  userId: string;
  url: string;
  secret: string;
  createdAt: Millis;
  updatedAt: Millis;
}

/** The webhook outbox: one row per event to deliver, retried with backoff until delivered. */
export interface WebhookDeliveriesTable {
  id: string;
  userId: string;
  eventType: string;
  /** JSON text: the exact body POSTed (and signed). */
  payload: string;
  /** PENDING | DELIVERED | FAILED */
  status: string;
  attempts: number;
  nextAttemptAt: Millis;
  leaseUntil: Millis | null;
  lastError: string | null;
  createdAt: Millis;
  deliveredAt: Millis | null;
}

/** A Telegram account linked to an Osprey user (one to one). */
export interface TelegramAccountsTable {
  telegramUserId: string;
  userId: string;
  chatId: string;
  username: string | null;
  linkedAt: Millis;
}

/** A one-time token between the bot and the web terminal; only its hash is stored. */
export interface TelegramTokensTable {
  id: string;
  /** link_code (a web user links a Telegram account) | web_link (the bot opens the terminal) */
  kind: string;
  tokenHash: string;
  userId: string;
  telegramUserId: string | null;
  createdAt: Millis;
  expiresAt: Millis;
  usedAt: Millis | null;
}

export interface DatabaseSchema {
  users: UsersTable;
  apiKeys: ApiKeysTable;
  accessTokens: AccessTokensTable;
  wallets: WalletsTable;
  orders: OrdersTable;
  orderEvents: OrderEventsTable;
  positions: PositionsTable;
  auditLog: AuditLogTable;
  readinessProbe: ReadinessProbeTable;
  withdrawals: WithdrawalsTable;
  withdrawalEvents: WithdrawalEventsTable;
  priceCandles: PriceCandlesTable;
  userSettings: UserSettingsTable;
  automationGrants: AutomationGrantsTable;
  triggers: TriggersTable;
  triggerFirings: TriggerFiringsTable;
  userWebhooks: UserWebhooksTable;
  webhookDeliveries: WebhookDeliveriesTable;
  telegramAccounts: TelegramAccountsTable;
  telegramTokens: TelegramTokensTable;
}
