import type { SandboxChain } from "../index.js";
import type { PriceFeed } from "../swap-api/price-feed.js";
import type { DemoMarket, DemoToken } from "./demo-market.js";
import { RISK_DESCRIPTIONS } from "./demo-tokens.js";
import { readPoolReserves } from "./pool.js";

function formatUsd(value: number | null): string {
  if (value === null) return "—";
  if (value >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(3)}`;
}

function programName(token: DemoToken): string {
  return token.program.startsWith("TokenzQd") ? "token-2022" : "spl-token";
}

/** A readable table of the demo market: symbol, mint, program, USD price, pool depth, risks. */
export function formatMarketTable(
  chain: SandboxChain,
  market: DemoMarket,
  prices: PriceFeed,
): string {
  const rows = [market.stable, ...market.tokens].map((token) => {
    const reserves = readPoolReserves(chain, token.pool);
    const sol = token.pool.quote.kind === "lamports" ? Number(reserves.quote) / 1e9 : null;
    return [
      token.symbol,
      token.mint,
      programName(token),
      formatUsd(prices.getPrice(token.mint)),
      sol === null ? "—" : `${sol.toLocaleString("en-US", { maximumFractionDigits: 2 })} SOL`,
      token.risks.length === 0
        ? "healthy"
        : token.risks.map((risk) => RISK_DESCRIPTIONS[risk]).join("; "),
    ];
  });
  const header = ["symbol", "mint", "program", "price", "pool depth", "risk"];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** Writes the table to stderr (stdout is kept for the ready line). */
export function printMarketTable(
  chain: SandboxChain,
  market: DemoMarket,
  prices: PriceFeed,
  write: (text: string) => void = (text) => process.stderr.write(text),
): void {
  write(`${formatMarketTable(chain, market, prices)}\n`);
}
