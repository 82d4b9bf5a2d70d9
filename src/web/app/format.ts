/** Money in base units (strings of integers) to and from what a trader reads and types. */

export const LAMPORTS_PER_SOL = 1_000_000_000n;

// Made once: `toLocaleString` with options builds a new formatter on every call, which made a
// page with a hundred order rows spend seconds of its main thread formatting.
const GROUPED = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const TIME = new Intl.DateTimeFormat("en-GB", {
  hour12: false,
  dateStyle: "short",
  timeStyle: "medium",
});
const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(minimumFractionDigits: number, maximumFractionDigits: number) {
  const key = `${minimumFractionDigits}:${maximumFractionDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { minimumFractionDigits, maximumFractionDigits });
    numberFormats.set(key, format);
  }
  return format;
}

/** "1500000000" with 9 decimals -> "1.5"; trims trailing zeros, keeps at most `maxFraction`. */
export function formatUnits(
  amount: string | bigint | null | undefined,
  decimals: number,
  maxFraction = 6,
): string {
  if (amount === null || amount === undefined || amount === "") return "—";
  let value: bigint;
  try {
    value = BigInt(amount);
  } catch {
    return "—";
  }
  const negative = value < 0n;
  if (negative) value = -value;
  const unit = 10n ** BigInt(decimals);
  const whole = value / unit;
  let fraction = (value % unit)
    .toString()
    .padStart(decimals, "0")
    .slice(0, Math.min(decimals, maxFraction));
  fraction = fraction.replace(/0+$/, "");
  const wholeText = GROUPED.format(whole);
  const text = fraction ? `${wholeText}.${fraction}` : wholeText;
  return negative ? `-${text}` : text;
}

export const formatSol = (lamports: string | bigint | null | undefined, maxFraction = 4) =>
  formatUnits(lamports, 9, maxFraction);

/** "1.5" with 9 decimals -> 1500000000n; undefined when it is not a positive amount that fits. */
export function parseUnits(text: string, decimals: number): bigint | undefined {
  const trimmed = text.trim().replace(/,/g, "");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (!match || trimmed === "" || trimmed === ".") return undefined;
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) return undefined;
  const value =
    BigInt(whole || "0") * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  return value > 0n ? value : undefined;
}

export const parseSol = (text: string) => parseUnits(text, 9);

export function formatUsd(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  const number = typeof value === "string" ? Number(value) : value;
  if (!Number.isFinite(number)) return "—";
  const abs = Math.abs(number);
  const digits = abs === 0 ? 2 : abs < 0.0001 ? 8 : abs < 1 ? 6 : 2;
  return `${number < 0 ? "-" : ""}$${numberFormat(2, digits).format(abs)}`;
}

export function formatPrice(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const digits =
    value === 0 ? 2 : Math.max(2, Math.min(12, 3 - Math.floor(Math.log10(Math.abs(value)))));
  return `${numberFormat(0, digits).format(value)} ${unit}`;
}

export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 4)}…${address.slice(-4)}` : address;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TIME.format(date);
}

/** Seconds to "m:ss" (or "h:mm:ss"). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Sign-aware class for P&L figures. */
export function pnlClass(value: string | null | undefined): string {
  if (!value) return "";
  return value.startsWith("-") ? "neg" : /^0*(\.0*)?$/.test(value) ? "" : "pos";
}

export const isMintLike = (text: string) => /^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(text.trim());
