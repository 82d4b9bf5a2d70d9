import { InvalidArgumentError } from "commander";
import { isAddress } from "../core/addresses.js";
import { U64_MAX } from "../core/amounts.js";

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
