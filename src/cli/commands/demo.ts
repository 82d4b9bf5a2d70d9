import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { isAddress } from "../../core/addresses.js";
import { formatUnits } from "../../core/amounts.js";
import {
  type ApiClient,
  ApiError,
  createApiClient,
  type Order,
  type SafetyReportBody,
  TERMINAL_STATUSES,
  waitForOrder,
} from "../api-client.js";
import { describeError, formatOrder, formatPositions, getReasons } from "../format-orders.js";
import { EXIT_FAILED, EXIT_USAGE, parseSolToLamports } from "../trade-arguments.js";

export interface DemoConfig {
  readonly api: string;
  readonly admin: string | null;
  readonly mints: Readonly<Record<string, string>>;
  readonly healthy: string;
  readonly honeypot: string;
  readonly buyLamports: bigint;
}

interface DemoOptions {
  readonly api?: string;
  readonly admin?: string;
  readonly mints?: string;
  readonly ready?: string;
  readonly healthy: string;
  readonly honeypot: string;
  readonly sol: string;
}

const HELP = `
Where the demo finds things (flags win over --ready, which wins over the environment):
  API     --api URL, else the ready line's "api", else env OSPREY_API_URL, else http://127.0.0.1:3000
  faucet  --admin URL (the sandbox admin base, ".../sandbox"), else the ready line's "admin";
          without one the demo stops after creating the wallet and says how to fund it
  mints   --mints '{"BONKY":"<mint>","FREEZE":"<mint>"}', else the ready line's mints and risky,
          else env OSPREY_MINTS
The ready line is what \`osprey serve --json\` prints; pass it inline or as a file:
  osprey serve --port 0 --json > ready.json &  osprey demo --ready ready.json
(the demo waits up to a minute for the line to appear in the file). Without --ready, the demo
reads $DATA_DIR/ready.json (default ./data/ready.json) when that file exists.
Exit code: 0 the tour completed (or stopped for funding), 1 a step failed, 2 bad usage.`;

export function registerDemoCommand(program: Command): void {
  program
    .command("demo")
    .description("narrated tour against a running service: wallet, safety checks, buy, sell, P&L")
    .option("--api <url>", "the Osprey API")
    .option("--admin <url>", "the sandbox admin base URL, used to fund the demo wallet")
    .option("--mints <json>", "symbol → mint map as JSON")
    .option(
      "--ready <json-or-file>",
      "the ready line of `osprey serve --json`, or a file holding it",
    )
    .option("--healthy <symbol>", "the token to buy and sell", "BONKY")
    .option("--honeypot <symbol>", "the token that must be refused", "FREEZE")
    .option("--sol <amount>", "SOL to spend on the healthy token", "0.5")
    .addHelpText("after", HELP)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE))
    .action(async (options: DemoOptions, command: Command) => {
      let config: DemoConfig;
      try {
        config = await getDemoConfig(options, process.env);
      } catch (error) {
        command.error(`error: ${error instanceof Error ? error.message : String(error)}`, {
          exitCode: EXIT_USAGE,
        });
        return;
      }
      process.exitCode = await runDemo(config, (line) => process.stdout.write(`${line}\n`));
    });
}

/** Merges flags, the ready line and the environment into what the tour needs. */
export async function getDemoConfig(
  options: DemoOptions,
  env: NodeJS.ProcessEnv,
): Promise<DemoConfig> {
  const readyFile = join(env.DATA_DIR || "./data", "ready.json");
  const readyFrom = options.ready ?? (existsSync(readyFile) ? readyFile : undefined);
  const ready = readyFrom ? await readReadyLine(readyFrom) : {};
  const mints: Record<string, string> = {
    ...parseMints(env.OSPREY_MINTS, "OSPREY_MINTS"),
    ...parseMints(ready.risky, "the ready line's risky"),
    ...parseMints(ready.mints, "the ready line's mints"),
    ...parseMints(options.mints, "--mints"),
  };
  for (const symbol of [options.healthy, options.honeypot])
    if (!mints[symbol])
      throw new Error(`no mint for ${symbol}: pass --mints '{"${symbol}":"<mint>"}' or --ready`);
  const admin = options.admin ?? (typeof ready.admin === "string" ? ready.admin : null);
  return {
    api:
      options.api ??
      (typeof ready.api === "string" ? ready.api : undefined) ??
      env.OSPREY_API_URL ??
      "http://127.0.0.1:3000",
    admin,
    mints,
    healthy: options.healthy,
    honeypot: options.honeypot,
    buyLamports: parseSolToLamports(options.sol),
  };
}

/** The ready line inline, or from a file that `serve --json > file &` may still be writing. */
async function readReadyLine(value: string, waitMs = 60_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const text = value.trimStart().startsWith("{") ? value : readFileSync(value, "utf8");
    // The file may hold more of serve's stdout; the ready line is the first complete JSON line.
    const line = text
      .split("\n")
      .find((l, i, all) => l.trimStart().startsWith("{") && i < all.length - 1);
    if (line || text === value || Date.now() > deadline) {
      try {
        return JSON.parse(line ?? text) as Record<string, unknown>;
      } catch {
        throw new Error("--ready is neither the ready line JSON nor a file holding it");
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function parseMints(value: unknown, source: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  const table = typeof value === "string" ? safeJson(value, source) : value;
  const entries = Object.entries(table as Record<string, unknown>);
  for (const [symbol, mint] of entries)
    if (!isAddress(mint)) throw new Error(`${source}: ${symbol} is not a mint address`);
  return Object.fromEntries(entries) as Record<string, string>;
}

function safeJson(text: string, source: string): unknown {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
  } catch {}
  throw new Error(`${source} must be JSON like {"BONKY":"<mint>"}`);
}

const FUND_LAMPORTS = 2_000_000_000n;
const sol = (lamports: bigint | string) => `${formatUnits(BigInt(lamports), 9)} SOL`;

/** The tour itself; returns the exit code. Every step prints before it acts, so a hang is placed. */
export async function runDemo(config: DemoConfig, say: (line: string) => void): Promise<number> {
  let step = 0;
  const title = (text: string) => say(`\n${++step}. ${text}`);
  const healthyMint = config.mints[config.healthy] as string;
  const honeypotMint = config.mints[config.honeypot] as string;
  say(`Osprey demo against ${config.api}`);
  try {
    const anonymous = createApiClient({ baseUrl: config.api });
    const username = `demo-${randomBytes(4).toString("hex")}`;
    const password = randomBytes(18).toString("base64url");
    title(`Register a fresh user "${username}" and log in`);
    const { userId } = await anonymous.register(username, password);
    const login = await anonymous.login(username, password);
    say(`   user ${userId}; bearer token valid until ${login.expiresAt}`);
    const user = createApiClient({ baseUrl: config.api, token: login.token });

    title("Create a wallet (its key is encrypted with a password only the user knows)");
    const walletPassword = randomBytes(18).toString("base64url");
    const wallet = await user.createWallet(walletPassword, "demo");
    say(`   wallet ${wallet.id}, address ${wallet.publicKey}`);

    title(`Fund it with ${sol(FUND_LAMPORTS)}`);
    if (!config.admin) {
      say("   No sandbox faucet given (--admin URL or --ready with an admin field).");
      say(`   Send at least ${sol(FUND_LAMPORTS)} to ${wallet.publicKey}, then trade with:`);
      say(`   OSPREY_API_URL=${config.api} OSPREY_TOKEN=<login token> osprey buy …`);
      say("   The demo stops here.");
      return 0;
    }
    await airdrop(config.admin, wallet.publicKey, FUND_LAMPORTS);
    const balance = await waitForBalance(user, wallet.id, FUND_LAMPORTS);
    say(`   sandbox faucet paid in; balance ${sol(balance)}`);

    title("Unlock the wallet: a short-lived trading session (X-Trading-Session)");
    const unlocked = await user.unlockWallet(wallet.id, walletPassword);
    say(`   session valid until ${unlocked.expiresAt}`);
    const trader = createApiClient({
      baseUrl: config.api,
      token: login.token,
      session: unlocked.sessionToken,
    });

    title(`Safety check of ${config.healthy} (${healthyMint})`);
    const healthy = await user.getSafety(healthyMint);
    sayReport(say, healthy);
    title(`Safety check of ${config.honeypot} (${honeypotMint})`);
    sayReport(say, await user.getSafety(honeypotMint));

    title(`Buy ${config.healthy} for ${sol(config.buyLamports)}`);
    const buy = await trade(trader, say, {
      side: "buy",
      mint: healthyMint,
      amountLamports: config.buyLamports.toString(),
    });
    say(indent(formatOrder(buy, healthy.decimals)));
    if (buy.status !== "CONFIRMED") return fail(say, `the buy ended ${buy.status}`);

    title(`Try to buy the honeypot ${config.honeypot}`);
    const refused = await tryHoneypot(trader, say, honeypotMint, config.buyLamports);
    if (!refused) return fail(say, `${config.honeypot} was bought: it should have been refused`);

    title(`Sell half of the ${config.healthy}`);
    const sell = await trade(trader, say, { side: "sell", mint: healthyMint, percent: 50 });
    say(indent(formatOrder(sell, healthy.decimals)));
    if (sell.status !== "CONFIRMED") return fail(say, `the sell ended ${sell.status}`);

    title("Positions and P&L");
    const symbols = Object.fromEntries(Object.entries(config.mints).map(([k, v]) => [v, k]));
    say(indent(formatPositions(await trader.listPositions(), symbols)));
    const after = (await user.listWallets()).find((w) => w.id === wallet.id);
    if (after?.solLamports) {
      const change = BigInt(after.solLamports) - balance;
      say(
        `   wallet: ${sol(after.solLamports)} (${change < 0n ? "" : "+"}${sol(change)} since funding,`,
      );
      say("   after swap fees, commission and network fees), plus the tokens still held");
    }

    title("Lock the wallet again (DELETE /v1/sessions/current)");
    await trader.revokeSession();
    say("   session revoked.\n\nDemo complete.");
    return 0;
  } catch (error) {
    if (error instanceof ApiError && error.code === "ROUTE_NOT_FOUND")
      return fail(say, `this server has no such route yet (${error.message}); the step cannot run`);
    return fail(
      say,
      error instanceof ApiError ? `${error.code}: ${error.message}` : describeError(error),
    );
  }
}

function fail(say: (line: string) => void, message: string): number {
  say(`\nDemo stopped at that step: ${message}`);
  return EXIT_FAILED;
}

const indent = (text: string) => text.replace(/\n$/, "").replace(/^/gm, "   ");

function sayReport(say: (line: string) => void, report: SafetyReportBody) {
  const failing = report.checks.filter((c) => c.status === "fail" || c.status === "warn");
  say(
    `   ${report.symbol ?? report.mint}: verdict ${report.verdict.toUpperCase()}, risk score ${report.score}/100, ${report.checks.length} checks, ${failing.length} failing or warning`,
  );
  for (const check of failing)
    say(`   ${check.status.toUpperCase()} ${check.id} (${check.severity}): ${check.detail}`);
}

async function trade(
  trader: ApiClient,
  say: (line: string) => void,
  body: Parameters<ApiClient["createOrder"]>[0],
): Promise<Order> {
  const accepted = await trader.createOrder(body, randomUUID());
  if (TERMINAL_STATUSES.has(accepted.status)) return accepted;
  say(`   order ${accepted.id} accepted (${accepted.status}); waiting for the chain…`);
  return waitForOrder(trader, accepted.id);
}

/** True when the honeypot buy was refused, by the API (4xx) or as a REJECTED order. */
async function tryHoneypot(
  trader: ApiClient,
  say: (line: string) => void,
  mint: string,
  lamports: bigint,
): Promise<boolean> {
  let order: Order;
  try {
    order = await trade(trader, say, { side: "buy", mint, amountLamports: lamports.toString() });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === null || error.status >= 500) throw error;
    if (error.code === "ROUTE_NOT_FOUND") throw error;
    say(`   refused (HTTP ${error.status}) ${error.code}: ${error.message}`);
    sayReasons(say, error.details);
    return true;
  }
  if (order.status === "CONFIRMED") return false;
  say(`   order ${order.id} ${order.status}: ${describeError(order.error)}`);
  // The reasons ride on the error or on the REJECTED event's detail, whichever the server fills.
  const rejected = order.events.find((event) => event.status === order.status);
  sayReasons(say, (order.error as { details?: unknown } | null)?.details ?? rejected?.detail);
  return order.status === "REJECTED";
}

function sayReasons(say: (line: string) => void, details: unknown) {
  for (const reason of getReasons(details)) say(`   reason: ${reason}`);
}

async function airdrop(admin: string, address: string, lamports: bigint) {
  const response = await fetch(`${admin.replace(/\/+$/, "")}/airdrop`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address, lamports: lamports.toString() }),
    signal: AbortSignal.timeout(15_000),
  }).catch(() => {
    throw new ApiError("FAUCET_UNREACHABLE", `cannot reach the sandbox faucet at ${admin}`, null);
  });
  if (!response.ok)
    throw new ApiError("FAUCET_FAILED", `the sandbox faucet answered ${response.status}`, null);
}

// The airdrop lands at once on the sandbox, but balances are read at "confirmed": wait for it.
async function waitForBalance(client: ApiClient, walletId: string, atLeast: bigint) {
  for (let attempt = 0; attempt < 60; attempt++) {
    const wallet = (await client.listWallets()).find((w) => w.id === walletId);
    if (wallet?.solLamports && BigInt(wallet.solLamports) >= atLeast)
      return BigInt(wallet.solLamports);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new ApiError(
    "FUNDING_TIMEOUT",
    "the airdrop did not show in the balance within 15 s",
    null,
  );
}
