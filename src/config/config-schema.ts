import { z } from "zod";
import { isAddress } from "../core/addresses.js";
import { trustProxySchema } from "./trust-proxy.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const port = (fallback: number) =>
  z.coerce
    .number({ error: "expected a port number" })
    .int("expected a whole port number")
    .min(0, "expected a port between 0 and 65535")
    .max(65535, "expected a port between 0 and 65535")
    .default(fallback);

const positiveInt = (fallback: number, what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`)
    .default(fallback);

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** Turns "" into undefined so an empty line in .env means "use the default". */
function blankIsUnset<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === "" ? undefined : value), schema);
}

const databaseUrl = z
  .string()
  .trim()
  .refine(
    (value) => /^(postgres|postgresql):\/\/[^\s]+$/.test(value) || /^(sqlite|file):.+$/.test(value),
    {
      message: "expected a postgres:// (or postgresql://) URL, or sqlite:<path>",
    },
  )
  .refine((value) => !/^postgres/.test(value) || URL.canParse(value), {
    message: "expected a well-formed postgres:// URL",
  });

const httpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: "expected an http:// or https:// URL",
  });

/** Every setting Osprey reads from the environment, with the embedded-mode defaults. */
export const configSchema = z.object({
  NODE_ENV: blankIsUnset(z.enum(["development", "production", "test"]).default("development")),
  HOST: blankIsUnset(z.string().trim().min(1).default("127.0.0.1")),
  PORT: blankIsUnset(port(3000)),
  DATA_DIR: blankIsUnset(z.string().trim().min(1).default("./data")),
  DATABASE_URL: blankIsUnset(databaseUrl.optional()),
  REDIS_URL: blankIsUnset(
    z
      .string()
      .trim()
      .refine((value) => /^rediss?:\/\/.+/.test(value) && URL.canParse(value), {
        message: "expected a redis:// or rediss:// URL",
      })
      .optional(),
  ),
  /** Prefix of every Redis key, so deployments or test runs can share one Redis. */
  REDIS_PREFIX: blankIsUnset(z.string().trim().min(1).max(64).default("osprey:")),
  /**
   * How long start-up waits for REDIS_URL to answer (and a TCP connect may take) before `serve`
   * stops with an error naming it.
   */
  REDIS_CONNECT_TIMEOUT_MS: blankIsUnset(
    positiveInt(5_000, "milliseconds, a positive whole number"),
  ),
  /** A Redis command unanswered for this long fails, and the request gets 503 KV_UNAVAILABLE. */
  REDIS_COMMAND_TIMEOUT_MS: blankIsUnset(
    positiveInt(1_000, "milliseconds, a positive whole number"),
  ),
  /**
   * How long a SQLite statement waits, in all, for a lock another connection holds (retrying
   * without blocking the server) before the request gets 503 DATABASE_UNAVAILABLE.
   */
  SQLITE_LOCK_WAIT_MS: blankIsUnset(positiveInt(2_000, "milliseconds, a positive whole number")),
  SOLANA_RPC_URLS: optionalString,
  JUPITER_API_URL: blankIsUnset(httpUrl.optional()),
  JUPITER_API_KEY: optionalString,
  JUPITER_PRICE_URL: blankIsUnset(httpUrl.optional()),
  /**
   * Which Jupiter swap API orders are built with: `v2` (Swap API v2 `GET /build`: one round trip,
   * Osprey assembles the transaction) or `v1` (`/quote`, then `/swap`: self-hosted Jupiter binaries
   * and other v1-compatible servers).
   */
  JUPITER_SWAP_API: blankIsUnset(z.enum(["v1", "v2"]).default("v2")),
  /**
   * Base of Swap API v2 (`…/swap/v2`). Unset: JUPITER_API_URL with a trailing `/swap/v1` read as
   * `/swap/v2`, the sandbox's on the embedded chain, else https://api.jup.ag/swap/v2.
   */
  JUPITER_SWAP_V2_URL: blankIsUnset(httpUrl.optional()),
  /**
   * Jito-compatible block engines (comma-separated base URLs, e.g.
   * https://mainnet.block-engine.jito.wtf): private routes for MEV-protected orders. Unset on the
   * embedded chain: the sandbox's block engine.
   */
  JITO_URLS: optionalString,
  /**
   * Landing services that take a tipped transaction over plain `sendTransaction` (e.g. Helius
   * Sender), comma-separated: private routes too. Unset on the embedded chain: the sandbox's.
   */
  SENDER_URLS: optionalString,
  /** A fixed tip for protected orders, in lamports (at least 1000); unset: from the tip floor. */
  JITO_TIP_LAMPORTS: blankIsUnset(
    z.coerce
      .bigint({ error: "expected lamports as a whole number" })
      .min(1_000n, "expected a tip of at least 1000 lamports (Jito's minimum)")
      .max(18_446_744_073_709_551_615n, "expected lamports that fit in 64 bits")
      .optional(),
  ),
  /** Without a fixed tip: this percentile of the block engine's recent landed tips (tip floor). */
  JITO_TIP_PERCENTILE: blankIsUnset(
    z.coerce
      .number({ error: "expected one of 25, 50, 75, 95, 99" })
      .refine((value) => [25, 50, 75, 95, 99].includes(value), {
        message: "expected one of 25, 50, 75, 95, 99",
      })
      .default(50),
  ),
  /** The most a tip taken from the tip floor may be, in lamports. */
  JITO_TIP_MAX_LAMPORTS: blankIsUnset(
    z.coerce
      .bigint({ error: "expected lamports as a whole number" })
      .min(1_000n, "expected at least 1000 lamports")
      .max(18_446_744_073_709_551_615n, "expected lamports that fit in 64 bits")
      .default(1_000_000n),
  ),
  /**
   * Jito's tip floor (recent landed tips by percentile). Unset: the first JITO_URLS's
   * `/api/v1/bundles/tip_floor` on the embedded chain, else https://bundles.jito.wtf/api/v1/bundles/tip_floor.
   */
  JITO_TIP_FLOOR_URL: blankIsUnset(httpUrl.optional()),
  /**
   * How often the lander sends a transaction in flight again (the same bytes, to every healthy
   * route it may use): about once a slot, as often as the chain can use it.
   */
  LANDER_REBROADCAST_MS: blankIsUnset(positiveInt(400, "milliseconds, a positive whole number")),
  /** Jupiter's Tokens API v2 (token search); unset = the public one, or the sandbox's. */
  JUPITER_TOKENS_URL: blankIsUnset(httpUrl.optional()),
  /** How often the price sampler reads the prices of viewed and held tokens (1-minute candles). */
  PRICE_SAMPLE_MS: blankIsUnset(positiveInt(15_000, "milliseconds, a positive whole number")),
  /** Price candles older than this are deleted. */
  CANDLE_RETENTION_HOURS: blankIsUnset(positiveInt(48, "hours, a positive whole number")),
  /** A JSON file of extra allow-listed tokens (mint, symbol, expected authorities). */
  OSPREY_SAFETY_ALLOW_LIST: optionalString,
  SAFETY_CACHE_MS: blankIsUnset(positiveInt(10_000, "milliseconds, a positive whole number")),
  /**
   * How often the lander asks for the statuses of every transaction in flight (one batched
   * request a round, plus the block height once a slot). Lower notices confirmations sooner.
   */
  LANDER_POLL_MS: blankIsUnset(positiveInt(100, "milliseconds, a positive whole number")),
  /**
   * Solana RPC requests made in the same turn of the event loop (orders' balance reads, sends and
   * fill reads) go out as one JSON-RPC batch of at most this many; 1 sends each alone. An
   * endpoint that refuses batches is sent single requests from then on.
   */
  RPC_BATCH_MAX: blankIsUnset(positiveInt(50, "requests per batch, a positive whole number")),
  /**
   * Orders prepared at once (quote, analysis, build, signing, first send); the others wait their
   * turn, first come first served, so under load the first orders finish first.
   */
  ORDER_CONCURRENCY: blankIsUnset(positiveInt(32, "orders, a positive whole number")),
  /** Orders one user may place per minute (POST /v1/orders, retries included). */
  ORDER_RATE_LIMIT: blankIsUnset(positiveInt(120, "orders per minute, a positive whole number")),
  FEE_BPS: blankIsUnset(
    z.coerce
      .number({ error: "expected basis points as a whole number" })
      .int("expected basis points as a whole number")
      .min(0, "expected basis points between 0 and 1000")
      .max(1000, "expected basis points between 0 and 1000")
      .default(85),
  ),
  FEE_WALLET: blankIsUnset(
    z.string().trim().refine(isAddress, { message: "expected a base58 Solana address" }).optional(),
  ),
  /**
   * Where the terminal links a transaction: `${EXPLORER_URL}/tx/<signature>?cluster=…`. Unset: the
   * Solana Explorer on a real cluster, no link on the sandbox; "none" turns links off.
   */
  EXPLORER_URL: blankIsUnset(z.union([z.literal("none"), httpUrl]).optional()),
  /**
   * The cluster SOLANA_RPC_URLS points at (for explorer links and /v1/meta). Unset: mainnet-beta
   * with SOLANA_RPC_URLS, "sandbox" on the embedded chain.
   */
  SOLANA_CLUSTER: blankIsUnset(
    z.enum(["mainnet-beta", "devnet", "testnet", "custom", "sandbox"]).optional(),
  ),
  /**
   * The operator's automation key: 32 random bytes, base64 or hex. Wallet keys granted to
   * automation (standing orders) are re-encrypted under keys derived from it. Unset (and no
   * AUTOMATION_KEY_FILE): automation is off; `serve` on the embedded sandbox makes one in DATA_DIR.
   */
  AUTOMATION_KEY: optionalString,
  /** A file holding AUTOMATION_KEY (for secret stores that mount files); AUTOMATION_KEY wins. */
  AUTOMATION_KEY_FILE: optionalString,
  /** How often the prices of mints with armed triggers are read (one batched request a round). */
  TRIGGER_PRICE_INTERVAL_MS: blankIsUnset(
    positiveInt(1_000, "milliseconds, a positive whole number"),
  ),
  /** A mint's price older than this (or from a block that far behind) fires nothing. */
  TRIGGER_PRICE_MAX_AGE_MS: blankIsUnset(
    positiveInt(10_000, "milliseconds, a positive whole number"),
  ),
  /** How long an instance holds a firing trigger before another may resume it. */
  TRIGGER_LEASE_MS: blankIsUnset(positiveInt(30_000, "milliseconds, a positive whole number")),
  /** The shortest interval a DCA trigger may buy at (tests set it low). */
  TRIGGER_DCA_MIN_INTERVAL_SECONDS: blankIsUnset(
    positiveInt(60, "seconds, a positive whole number"),
  ),
  LOG_LEVEL: blankIsUnset(z.enum(LOG_LEVELS).default("info")),
  SANDBOX_PORT: blankIsUnset(port(8899)),
  SANDBOX_SLOT_MS: blankIsUnset(positiveInt(400, "milliseconds per slot, a positive whole number")),
  BODY_LIMIT_BYTES: blankIsUnset(positiveInt(64 * 1024, "a body size in bytes")),
  /** Time a client has to send its request line and headers; a slower one is cut off (408). */
  HTTP_HEADERS_TIMEOUT_MS: blankIsUnset(
    positiveInt(10_000, "milliseconds, a positive whole number"),
  ),
  /** Time a client has to send its whole request, body included (at least the headers' time). */
  HTTP_REQUEST_TIMEOUT_MS: blankIsUnset(
    positiveInt(30_000, "milliseconds, a positive whole number"),
  ),
  /** How long an idle keep-alive connection stays open; above a proxy's own idle timeout. */
  HTTP_KEEP_ALIVE_TIMEOUT_MS: blankIsUnset(
    positiveInt(72_000, "milliseconds, a positive whole number"),
  ),
  /** Unset: trust no proxy. A hop count, or the reverse proxy's addresses or CIDR ranges. */
  /**
   * The Telegram bot's token from @BotFather: `osprey serve` starts the bot when it is set
   * (src/telegram). Secret: never logged.
   */
  TELEGRAM_BOT_TOKEN: blankIsUnset(
    z
      .string()
      .trim()
      .regex(/^[0-9]{1,20}:[A-Za-z0-9_-]{20,100}$/, "expected a bot token as @BotFather gives it")
      .optional(),
  ),
  /** Another Bot API server (a self-hosted one, a test's): default https://api.telegram.org. */
  TELEGRAM_API_ROOT: blankIsUnset(httpUrl.optional()),
  /**
   * Where Telegram delivers updates (the bot's webhook, served by this server at that URL's
   * path, its secret-token header checked). Unset: long polling.
   */
  TELEGRAM_WEBHOOK_URL: blankIsUnset(httpUrl.optional()),
  /**
   * The terminal's address as users reach it, for links the bot sends (the web unlock link).
   * Unset: the address the server listens on.
   */
  PUBLIC_URL: blankIsUnset(httpUrl.optional()),
  TRUST_PROXY: blankIsUnset(trustProxySchema.optional()),
  ACCESS_TOKEN_TTL_MINUTES: blankIsUnset(positiveInt(24 * 60, "minutes, a positive whole number")),
  SESSION_IDLE_MINUTES: blankIsUnset(positiveInt(15, "minutes, a positive whole number")),
  SESSION_MAX_HOURS: blankIsUnset(positiveInt(8, "hours, a positive whole number")),
  /** argon2 derivations allowed at once (each holds ARGON2_MEMORY_KIB of memory). */
  KDF_MAX_CONCURRENT: blankIsUnset(positiveInt(2, "a positive whole number")),
  ARGON2_MEMORY_KIB: blankIsUnset(positiveInt(64 * 1024, "KiB, a positive whole number")),
  ARGON2_PASSES: blankIsUnset(positiveInt(3, "a positive whole number")),
  ARGON2_PARALLELISM: blankIsUnset(positiveInt(4, "a positive whole number")),
  /** Event streams (GET /v1/events) one user may hold open on one instance at once. */
  EVENT_STREAMS_PER_USER: blankIsUnset(positiveInt(5, "streams, a positive whole number")),
});

export type ConfigInput = z.input<typeof configSchema>;
type Parsed = z.output<typeof configSchema>;

export type DatabaseTarget =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string };

export interface Config extends Omit<Parsed, "DATABASE_URL"> {
  readonly database: DatabaseTarget;
  /** True when no SOLANA_RPC_URLS is set: `serve` then starts the built-in sandbox. */
  readonly embeddedChain: boolean;
}
