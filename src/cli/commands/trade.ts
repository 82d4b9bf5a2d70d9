import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import {
  type ApiClient,
  createApiClient,
  type Order,
  type OrderBody,
  TERMINAL_STATUSES,
  waitForOrder,
} from "../api-client.js";
import {
  describeError,
  formatOrder,
  formatPositions,
  getSymbolsByMint,
  reportFailure,
} from "../format-orders.js";
import {
  EXIT_FAILED,
  EXIT_USAGE,
  parseBaseUnitsArgument,
  parsePercent,
  parseSlippageBps,
  parseSolToLamports,
  resolveMint,
} from "../trade-arguments.js";

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
    usage(
      command,
      "no credentials: set OSPREY_TOKEN or pass --token (a login token from /v1/auth/login, or an API key)",
    );
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
    .option(
      "--token <token>",
      "login token, or an API key: scope read for orders and positions, trade to buy and sell (default: env OSPREY_TOKEN)",
    )
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
        : formatOrder(order, await getTokenDecimals(client, order), getSymbolsByMint()[order.mint]),
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
              : `${formatOrder(order, undefined, getSymbolsByMint()[order.mint])}${events.join("\n")}\n`,
          );
        } else {
          const orders = await client.listOrders();
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ orders })}\n`
              : orders.map((o) => formatOrder(o, undefined, getSymbolsByMint()[o.mint])).join("") ||
                  "no orders\n",
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
