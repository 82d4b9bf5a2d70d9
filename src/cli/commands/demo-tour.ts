/** The narrated tour of `osprey demo`, step by step against a running service. */
import { randomBytes, randomUUID } from "node:crypto";
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
import { EXIT_FAILED } from "../trade-arguments.js";
import type { DemoConfig } from "./demo-config.js";

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
    say(indent(formatOrder(buy, healthy.decimals, config.healthy)));
    if (buy.status !== "CONFIRMED") return fail(say, `the buy ended ${buy.status}`);

    title(`Try to buy the honeypot ${config.honeypot}`);
    const refused = await tryHoneypot(trader, say, honeypotMint, config.buyLamports);
    if (!refused) return fail(say, `${config.honeypot} was bought: it should have been refused`);

    title(`Sell half of the ${config.healthy}`);
    const sell = await trade(trader, say, { side: "sell", mint: healthyMint, percent: 50 });
    say(indent(formatOrder(sell, healthy.decimals, config.healthy)));
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
