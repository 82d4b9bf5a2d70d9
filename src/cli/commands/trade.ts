import { randomUUID } from "node:crypto";
import { type Command, InvalidArgumentError } from "commander";
import { isAddress } from "../../core/addresses.js";
import { formatUnits, U64_MAX } from "../../core/amounts.js";
import {
  type ApiClient,
  ApiError,
  createApiClient,
  type Order,
  type OrderBody,
  TERMINAL_STATUSES,
  waitForOrder,
} from "../api-client.js";

/** 0 done, 1 the server refused or the order did not confirm, 2 bad usage. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
const LAMPORTS_PER_SOL_DECIMALS = 9;

/** "1.5" SOL → 1_500_000_000n exactly: digits only, at most 9 decimals, above zero, fits u64. */
export function parseSolToLamports(text: string): bigint {
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text.trim());
  const whole = match?.[1] ?? "";
  const fraction = match?.[2] ?? "";
  if (!match || whole.length + fraction.length === 0)
    throw new InvalidArgumentError("expected an amount of SOL such as 0.25");
  if (fraction.length > LAMPORTS_PER_SOL_DECIMALS)
    throw new InvalidArgumentError("SOL has 9 decimals; use at most 9 digits after the point");
  const value = BigInt(
    `${whole || "0"}${fraction.padEnd(LAMPORTS_PER_SOL_DECIMALS, "0")}`.replace(/^0+(?=\d)/, ""),
  );
  return assertPositiveU64(value);
}

export function parseBaseUnitsArgument(text: string): bigint {
  if (!/^\d{1,20}$/.test(text))
    throw new InvalidArgumentError("expected a whole number of base units, digits only");
  return assertPositiveU64(BigInt(text));
}

function assertPositiveU64(value: bigint): bigint {
  if (value <= 0n) throw new InvalidArgumentError("expected an amount above zero");
  if (value > U64_MAX) throw new InvalidArgumentError("the amount does not fit in 64 bits");
  return value;
}

const integerIn = (min: number, max: number, what: string) => (text: string) => {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new InvalidArgumentError(`expected ${what} from ${min} to ${max}`);
  return value;
};
export const parseSlippageBps = integerIn(1, 5000, "basis points");
export const parsePercent = integerIn(1, 100, "a whole percentage");

/** A mint address as is, else a symbol from env OSPREY_MINTS ({"BONKY":"<mint>"}). */
export function resolveMint(argument: string, env = process.env): string {
  if (isAddress(argument)) return argument;
  let table: Record<string, unknown> = {};
  try {
    table = env.OSPREY_MINTS ? (JSON.parse(env.OSPREY_MINTS) as Record<string, unknown>) : {};
  } catch {
    throw new InvalidArgumentError('OSPREY_MINTS is not JSON like {"BONKY":"<mint>"}');
  }
  const entry = Object.entries(table).find(
    ([symbol]) => symbol.toUpperCase() === argument.toUpperCase(),
  );
  if (entry && typeof entry[1] === "string" && isAddress(entry[1])) return entry[1];
  throw new InvalidArgumentError(
    `${argument} is not a mint address${env.OSPREY_MINTS ? " nor a symbol in OSPREY_MINTS" : "; set OSPREY_MINTS to use symbols"}`,
  );
}

interface ConnectionOptions {
  readonly api?: string;
  readonly token?: string;
  readonly session?: string;
  readonly json?: boolean;
}

function connect(command: Command, options: ConnectionOptions, needsSession: boolean) {
  const token = options.token ?? process.env.OSPREY_TOKEN;
  const session = options.session ?? process.env.OSPREY_SESSION;
  if (!token)
    usage(command, "no credentials: set OSPREY_TOKEN or pass --token (from /v1/auth/login)");
  if (needsSession && !session)
    usage(
      command,
      "no trading session: set OSPREY_SESSION or pass --session (from a wallet unlock)",
    );
  return createApiClient({
    baseUrl: options.api ?? process.env.OSPREY_API_URL ?? "http://127.0.0.1:3000",
    ...(token ? { token } : {}),
    ...(session ? { session } : {}),
  });
}

function usage(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT_USAGE, code: "INVALID_INPUT" });
  throw new Error(message); // not reached: command.error exits
}

/** Prints a failure as `CODE: message` (or {error} with --json) and sets a non-zero exit code. */
export function reportFailure(error: unknown, json: boolean | undefined, extra = {}): void {
  const code = error instanceof ApiError ? error.code : "INTERNAL";
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : undefined;
  if (json)
    process.stdout.write(
      `${JSON.stringify({ ...extra, error: { code, message, ...(details === undefined ? {} : { details }) } })}\n`,
    );
  else process.stderr.write(`osprey: ${code}: ${message}\n${formatDetails(details)}`);
  process.exitCode = EXIT_FAILED;
}

function formatDetails(details: unknown): string {
  const reasons = getReasons(details);
  if (reasons.length === 0) return details === undefined ? "" : `  ${JSON.stringify(details)}\n`;
  return reasons.map((reason) => `  - ${reason}\n`).join("");
}

/** The failing checks a refusal carries, whichever list in `details` holds them, one line each. */
export function getReasons(details: unknown): string[] {
  if (!details || typeof details !== "object") return [];
  const record = details as Record<string, unknown>;
  const list = ["checks", "failingChecks", "failedChecks", "reasons"]
    .map((key) => record[key])
    .find(Array.isArray) as unknown[] | undefined;
  return (list ?? []).map((item) => {
    if (typeof item === "string") return item;
    const { id, status, detail } = (item ?? {}) as Record<string, unknown>;
    return `${String(id)}${status ? ` ${String(status)}` : ""}${detail ? `: ${String(detail)}` : ""}`;
  });
}

/** One order for people; token amounts with decimals when they are known (display only). */
export function formatOrder(order: Order, tokenDecimals?: number): string {
  const sol = (v: string | null) => (v === null ? "—" : `${formatUnits(BigInt(v), 9)} SOL`);
  const token = (v: string | null) =>
    v === null
      ? "—"
      : tokenDecimals === undefined
        ? `${v} base units`
        : formatUnits(BigInt(v), tokenDecimals);
  const [paid, got] =
    order.side === "buy"
      ? [sol(order.amountIn), token(order.amountOut)]
      : [token(order.amountIn), sol(order.amountOut)];
  const lines = [
    `order ${order.id}  ${order.side} ${order.mint}  ${order.status}`,
    `  in: ${paid}   out: ${got}   commission: ${sol(order.commissionLamports)}`,
  ];
  if (order.signature) lines.push(`  signature: ${order.signature}`);
  if (order.error !== null && order.error !== undefined)
    lines.push(`  error: ${describeError(order.error)}`);
  return `${lines.join("\n")}\n`;
}

export function describeError(error: unknown): string {
  if (typeof error === "string") return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === "string" ? `${code}: ${String(message ?? "")}` : JSON.stringify(error);
}

/** Positions for people (GET /v1/positions fields); symbols by mint when known. */
export function formatPositions(
  positions: readonly Record<string, unknown>[],
  symbols: Readonly<Record<string, string>> = {},
): string {
  if (positions.length === 0) return "no positions\n";
  return positions.map((position) => formatPosition(position, symbols)).join("");
}

function formatPosition(p: Record<string, unknown>, symbols: Readonly<Record<string, string>>) {
  const text = (key: string) => (typeof p[key] === "string" ? (p[key] as string) : null);
  const solOf = (key: string) => {
    const value = text(key);
    return value && /^-?\d+$/.test(value) ? `${formatUnits(BigInt(value), 9)} SOL` : "—";
  };
  const usdOf = (key: string) => (text(key) === null ? "" : ` ($${text(key)})`);
  const mint = String(p.mint);
  const amount = text("amount") ?? "0";
  const shown =
    typeof p.decimals === "number" && /^\d+$/.test(amount)
      ? formatUnits(BigInt(amount), p.decimals)
      : `${amount} base units`;
  const name = symbols[mint] ? `${symbols[mint]} (${mint})` : mint;
  return [
    `${name}  holding ${shown}`,
    `  cost ${solOf("costLamports")}${usdOf("costUsd")}, average ${solOf("avgCostLamports")}${usdOf("avgCostUsd")} per token`,
    `  value now ${solOf("valueLamports")}${usdOf("valueUsd")}${text("priceSource") ? ` (from ${text("priceSource")})` : ""}`,
    `  P&L realized ${solOf("realizedPnlLamports")}${usdOf("realizedPnlUsd")}, unrealized ${solOf("unrealizedPnlLamports")}${usdOf("unrealizedPnlUsd")}`,
    "",
  ].join("\n");
}

/** Mint → symbol from env OSPREY_MINTS, for display. */
export function getSymbolsByMint(env = process.env): Record<string, string> {
  try {
    const table = JSON.parse(env.OSPREY_MINTS ?? "{}") as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(table).flatMap(([symbol, mint]) =>
        typeof mint === "string" ? [[mint, symbol]] : [],
      ),
    );
  } catch {
    return {};
  }
}

interface TradeOptions extends ConnectionOptions {
  readonly slippage?: number;
  readonly acceptRisk?: boolean;
  readonly idempotencyKey?: string;
  readonly wait: boolean;
}

const withConnection = (command: Command) =>
  command
    .option(
      "--api <url>",
      "the Osprey API (default: env OSPREY_API_URL, else http://127.0.0.1:3000)",
    )
    .option("--token <token>", "bearer token from login (default: env OSPREY_TOKEN)")
    .option("--json", "print exactly one JSON object on stdout")
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE));

const withTrading = (command: Command) =>
  withConnection(command)
    .option(
      "--session <token>",
      "trading session from a wallet unlock (default: env OSPREY_SESSION)",
    )
    .option("--slippage <bps>", "slippage tolerance in basis points, 1-5000", parseSlippageBps)
    .option("--idempotency-key <key>", "retry an earlier request (default: a fresh UUID, printed)")
    .option("--no-wait", "return once the order is accepted instead of waiting for its outcome");

/** Sends the order, prints the key first (so a retry is possible even if the call dies), waits. */
async function placeOrder(command: Command, body: OrderBody, options: TradeOptions) {
  const client = connect(command, options, true);
  const key = options.idempotencyKey ?? randomUUID();
  const keyLine = `idempotency key: ${key} (retry safely with --idempotency-key ${key})\n`;
  if (options.json) process.stderr.write(keyLine);
  else process.stdout.write(keyLine);
  try {
    const accepted = await client.createOrder(body, key);
    const order =
      options.wait && !TERMINAL_STATUSES.has(accepted.status)
        ? await waitForOrder(client, accepted.id)
        : accepted;
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ idempotencyKey: key, ...order })}\n`
        : formatOrder(order, await getTokenDecimals(client, order)),
    );
    if (["FAILED", "EXPIRED", "REJECTED"].includes(order.status)) process.exitCode = EXIT_FAILED;
  } catch (error) {
    reportFailure(error, options.json, { idempotencyKey: key });
  }
}

/** The mint's decimals from the wallet's balances, for display; unknown is fine. */
async function getTokenDecimals(client: ApiClient, order: Order): Promise<number | undefined> {
  try {
    const wallets = await client.listWallets();
    const wallet = wallets.find((w) => w.id === order.walletId) ?? wallets[0];
    return wallet?.tokens?.find((token) => token.mint === order.mint)?.decimals;
  } catch {
    return undefined;
  }
}

const slippage = (options: TradeOptions) =>
  options.slippage === undefined ? {} : { slippageBps: options.slippage };

export function registerTradeCommands(program: Command): void {
  withTrading(
    program
      .command("buy")
      .description("buy a token with SOL: osprey buy <mint|SYMBOL> <sol> (or --lamports N)")
      .argument("<mint>", "token mint address, or a symbol listed in env OSPREY_MINTS")
      .argument("[sol]", "SOL to spend, a decimal such as 0.25 (converted exactly to lamports)")
      .option("--lamports <n>", "lamports to spend instead of <sol>", parseBaseUnitsArgument)
      .option("--accept-risk", "trade a token whose safety verdict is warn"),
  ).action(
    async (
      mintArg: string,
      solArg: string | undefined,
      options: TradeOptions & { lamports?: bigint },
      command: Command,
    ) => {
      if ((solArg === undefined) === (options.lamports === undefined))
        usage(command, "give the amount once: either <sol> or --lamports N");
      const amount =
        options.lamports ?? parseOrUsage(command, () => parseSolToLamports(solArg ?? ""));
      const mint = parseOrUsage(command, () => resolveMint(mintArg));
      await placeOrder(
        command,
        {
          side: "buy",
          mint,
          amountLamports: amount.toString(),
          ...slippage(options),
          ...(options.acceptRisk ? { acceptRisk: true } : {}),
        },
        options,
      );
    },
  );

  withTrading(
    program
      .command("sell")
      .description(
        "sell a token for SOL: osprey sell <mint|SYMBOL> (--percent P | --amount BASE_UNITS)",
      )
      .argument("<mint>", "token mint address, or a symbol listed in env OSPREY_MINTS")
      .option("--percent <p>", "share of the holding to sell, 1-100", parsePercent)
      .option("--amount <units>", "token amount in base units", parseBaseUnitsArgument),
  ).action(
    async (
      mintArg: string,
      options: TradeOptions & { percent?: number; amount?: bigint },
      command: Command,
    ) => {
      if ((options.percent === undefined) === (options.amount === undefined))
        usage(command, "name exactly one of --percent or --amount");
      const mint = parseOrUsage(command, () => resolveMint(mintArg));
      const size =
        options.amount === undefined
          ? { percent: options.percent as number }
          : { amount: options.amount.toString() };
      await placeOrder(command, { side: "sell", mint, ...size, ...slippage(options) }, options);
    },
  );

  withConnection(program.command("orders").description("your orders, or one with its events"))
    .option("--id <id>", "one order with its event history")
    .action(async (options: ConnectionOptions & { id?: string }, command: Command) => {
      const client = connect(command, options, false);
      try {
        if (options.id) {
          const order = await client.getOrder(options.id);
          const events = order.events.map(
            (e) =>
              `  ${e.at}  ${e.status}${e.detail === undefined || e.detail === null ? "" : `  ${describeError(e.detail)}`}`,
          );
          process.stdout.write(
            options.json
              ? `${JSON.stringify(order)}\n`
              : `${formatOrder(order)}${events.join("\n")}\n`,
          );
        } else {
          const orders = await client.listOrders();
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ orders })}\n`
              : orders.map((o) => formatOrder(o)).join("") || "no orders\n",
          );
        }
      } catch (error) {
        reportFailure(error, options.json);
      }
    });

  withConnection(
    program.command("positions").description("your holdings with average cost and P&L"),
  ).action(async (options: ConnectionOptions, command: Command) => {
    const client = connect(command, options, false);
    try {
      const positions = await client.listPositions();
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ positions })}\n`
          : formatPositions(positions, getSymbolsByMint()),
      );
    } catch (error) {
      reportFailure(error, options.json);
    }
  });
}

function parseOrUsage<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    return usage(command, error instanceof Error ? error.message : String(error));
  }
}
