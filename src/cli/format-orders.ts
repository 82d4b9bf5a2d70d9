import { formatUnits, formatUsd } from "../core/amounts.js";
import { ApiError, type Order } from "./api-client.js";
import { EXIT_FAILED } from "./trade-arguments.js";

export { formatUsd };

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

/** A token amount for people: with decimals when known, and the token's symbol when known. */
export function formatTokenAmount(
  baseUnits: string,
  decimals: number | null | undefined,
  symbol?: string,
): string {
  if (decimals === null || decimals === undefined || !/^-?\d+$/.test(baseUnits))
    return `${baseUnits} base units${symbol ? ` of ${symbol}` : ""}`;
  return `${formatUnits(BigInt(baseUnits), decimals)}${symbol ? ` ${symbol}` : ""}`;
}

/** One order for people; token amounts with decimals and symbol when known (display only). */
export function formatOrder(order: Order, tokenDecimals?: number, symbol?: string): string {
  const sol = (v: string | null) => (v === null ? "—" : `${formatUnits(BigInt(v), 9)} SOL`);
  const token = (v: string | null) =>
    v === null ? "—" : formatTokenAmount(v, tokenDecimals, symbol);
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
  const usdOf = (key: string) => {
    const value = text(key);
    return value === null ? "" : ` (${formatUsd(value)})`;
  };
  const mint = String(p.mint);
  const symbol = symbols[mint];
  const decimals = typeof p.decimals === "number" ? p.decimals : null;
  const shown = formatTokenAmount(text("amount") ?? "0", decimals, symbol);
  const name = symbol ? `${symbol} (${mint})` : mint;
  return [
    `${name}  holding ${shown}`,
    `  cost ${solOf("costLamports")}${usdOf("costUsd")}, average ${solOf("avgCostLamports")}${usdOf("avgCostUsd")} per ${symbol ?? "token"}`,
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
