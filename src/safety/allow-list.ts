import { readFileSync } from "node:fs";
import { z } from "zod";
import { isAddress } from "../core/addresses.js";
import { OspreyError } from "../core/osprey-error.js";
import { AUTHORITY_KINDS, type AuthorityKind, type MintAuthorities } from "./mint-authorities.js";

/** The environment variable naming a JSON file of extra allow-list entries (see README). */
export const ALLOW_LIST_ENV = "OSPREY_SAFETY_ALLOW_LIST";

/**
 * A vetted token, keyed by its mint AND the authorities it is expected to have. An authority
 * not listed must be absent: if any authority differs, the entry stops applying.
 */
export interface AllowListEntry {
  readonly mint: string;
  readonly symbol: string;
  /** The token's name as its metadata spells it; the impersonation check compares it too. */
  readonly name?: string;
  readonly authorities: Readonly<Partial<Record<AuthorityKind, string | null>>>;
  readonly note?: string;
}

export interface AuthorityChange {
  readonly kind: AuthorityKind;
  readonly expected: string | null;
  readonly actual: string | null;
}

export type AllowListMatch =
  | { readonly kind: "not-listed" }
  | { readonly kind: "matched"; readonly entry: AllowListEntry }
  | {
      readonly kind: "changed";
      readonly entry: AllowListEntry;
      readonly changes: readonly AuthorityChange[];
    };

export interface AllowList {
  readonly entries: readonly AllowListEntry[];
  match(mint: string, authorities: MintAuthorities): AllowListMatch;
}

/** Real mainnet majors, with the authorities they hold (issuers keep freeze/mint by design). */
export const MAINNET_ALLOW_LIST: readonly AllowListEntry[] = [
  {
    mint: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
    symbol: "USDC",
    name: "USD Coin",
    authorities: {
      mintAuthority: "BJE5MMbqXjVwjAF7oxwPYXnTXDyspzZyt4vwenNw5ruG",
      freezeAuthority: "7dGbd2QZcCKcTndnHcTL8q7SMVXAkp688NTQYwrRCrar",
    },
    note: "Circle's regulated stablecoin; the issuer can freeze by law.",
  },
  {
    mint: "Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB",
    symbol: "USDT",
    name: "USDT",
    authorities: {
      mintAuthority: "Q6XprfkF8RQQKoQVG33xT88H7wi8Uk1B1CC7YAs69Gi",
      freezeAuthority: "Q6XprfkF8RQQKoQVG33xT88H7wi8Uk1B1CC7YAs69Gi",
    },
    note: "Tether's stablecoin; mint and freeze held by Tether's multisig.",
  },
  {
    mint: "mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So",
    symbol: "mSOL",
    name: "Marinade staked SOL (mSOL)",
    authorities: { mintAuthority: "3JLPCS1qM2zRw3Dp6V4hZnYHd4toMNPkNesXdX9tg6KM" },
    note: "Marinade staked SOL; minted by the Marinade program's PDA.",
  },
  {
    mint: "J1toso1uCk3RLmjorhTtrVwY9HJ7X8V9yYac6Y7kGCPn",
    symbol: "JitoSOL",
    name: "Jito Staked SOL",
    authorities: { mintAuthority: "6iQKfEyhr3bZMotVkW6beNZz5CPAkiwvgV2CTje9pVSS" },
    note: "Jito staked SOL; minted by the stake pool's withdraw authority PDA.",
  },
];

const addressText = z.string().refine(isAddress, "not a base58 address of 32 bytes");
const entrySchema = z.strictObject({
  mint: addressText,
  symbol: z.string().min(1).max(32),
  name: z.string().min(1).max(64).optional(),
  authorities: z.partialRecord(z.enum(AUTHORITY_KINDS), addressText.nullable()),
  note: z.string().max(500).optional(),
});
export const allowListFileSchema = z.array(entrySchema);

export function createAllowList(entries: readonly AllowListEntry[]): AllowList {
  // A later entry for the same mint (an operator's file) replaces a built-in one.
  const byMint = new Map(entries.map((entry) => [entry.mint, entry]));
  return {
    entries: [...byMint.values()],
    match(mint, authorities) {
      const entry = byMint.get(mint);
      if (!entry) return { kind: "not-listed" };
      const changes = AUTHORITY_KINDS.flatMap((kind): AuthorityChange[] => {
        const expected = entry.authorities[kind] ?? null;
        const actual = authorities[kind];
        return expected === actual ? [] : [{ kind, expected, actual }];
      });
      return changes.length === 0
        ? { kind: "matched", entry }
        : { kind: "changed", entry, changes };
    },
  };
}

/** Reads an operator's allow-list file: a JSON array of entries; a bad file fails fast. */
export function loadAllowListFile(path: string): AllowListEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new OspreyError(
      "CONFIG_INVALID",
      `${ALLOW_LIST_ENV}: cannot read ${path} as JSON.`,
      { path },
      { cause: error },
    );
  }
  const parsed = allowListFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new OspreyError(
      "CONFIG_INVALID",
      `${ALLOW_LIST_ENV}: ${path} is not a valid allow-list: ${parsed.error.issues[0]?.message ?? ""}`,
      {
        path,
      },
    );
  }
  return parsed.data.map(({ note, name, ...rest }) => ({
    ...rest,
    ...(name === undefined ? {} : { name }),
    ...(note === undefined ? {} : { note }),
  }));
}
