import { bytesToBase58 } from "./base58.js";
import { formatUiAmount, TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "./token-layout.js";

const SYSTEM_PROGRAM = "11111111111111111111111111111111";
const ATA_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";

interface CompiledIx {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

type Info = Record<string, unknown>;
type Parsed = { program: string; type: string; info: Info } | null;

function reader(data: Uint8Array) {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    u64: (offset: number) => (offset + 8 <= data.length ? view.getBigUint64(offset, true) : null),
    key: (offset: number) =>
      offset + 32 <= data.length ? bytesToBase58(data.subarray(offset, offset + 32)) : null,
  };
}

function named(keys: readonly string[], names: readonly string[]): Info | null {
  if (keys.length < names.length) return null;
  return Object.fromEntries(names.map((name, i) => [name, keys[i]]));
}

function parseSystem(data: Uint8Array, keys: string[]): Parsed {
  const r = reader(data);
  const tag = data.length >= 4 ? new DataView(data.buffer, data.byteOffset).getUint32(0, true) : -1;
  const of = (type: string, info: Info | null): Parsed =>
    info ? { program: "system", type, info } : null;
  if (tag === 0)
    return of(
      "createAccount",
      named(keys, ["source", "newAccount"]) && {
        ...named(keys, ["source", "newAccount"]),
        lamports: r.u64(4),
        space: r.u64(12),
        owner: r.key(20),
      },
    );
  if (tag === 1)
    return of("assign", named(keys, ["account"]) && { account: keys[0], owner: r.key(4) });
  if (tag === 2)
    return of(
      "transfer",
      named(keys, ["source", "destination"]) && {
        ...named(keys, ["source", "destination"]),
        lamports: r.u64(4),
      },
    );
  if (tag === 8)
    return of("allocate", named(keys, ["account"]) && { account: keys[0], space: r.u64(4) });
  return null;
}

function parseToken(data: Uint8Array, keys: string[]): Parsed {
  const r = reader(data);
  const amount = r.u64(1);
  const decimals = data[9] ?? 0;
  const checked = (amt: bigint | null) =>
    amt === null
      ? null
      : {
          amount: amt.toString(),
          decimals,
          uiAmount: Number(formatUiAmount(amt, decimals)),
          uiAmountString: formatUiAmount(amt, decimals),
        };
  const of = (type: string, names: string[], extra: Info = {}): Parsed => {
    const info = named(keys, names);
    return info ? { program: "spl-token", type, info: { ...info, ...extra } } : null;
  };
  switch (data[0]) {
    case 3:
      return of("transfer", ["source", "destination", "authority"], { amount: amount?.toString() });
    case 12:
      return of("transferChecked", ["source", "mint", "destination", "authority"], {
        tokenAmount: checked(amount),
      });
    case 7:
      return of("mintTo", ["mint", "account", "mintAuthority"], { amount: amount?.toString() });
    case 14:
      return of("mintToChecked", ["mint", "account", "mintAuthority"], {
        tokenAmount: checked(amount),
      });
    case 8:
      return of("burn", ["account", "mint", "authority"], { amount: amount?.toString() });
    case 9:
      return of("closeAccount", ["account", "destination", "owner"]);
    case 18:
      return of("initializeAccount3", ["account", "mint"], { owner: r.key(1) });
    case 1:
      return of("initializeAccount", ["account", "mint", "owner", "rentSysvar"]);
    case 20:
    case 0: {
      const freeze = data[34] === 1 ? r.key(35) : null;
      const names = data[0] === 0 ? ["mint", "rentSysvar"] : ["mint"];
      return of(data[0] === 0 ? "initializeMint" : "initializeMint2", names, {
        decimals: data[1],
        mintAuthority: r.key(2),
        ...(freeze ? { freezeAuthority: freeze } : {}),
      });
    }
    case 22:
      return of("initializeImmutableOwner", ["account"]);
    default:
      return null;
  }
}

function parseAta(data: Uint8Array, keys: string[]): Parsed {
  const names = ["source", "account", "wallet", "mint", "systemProgram", "tokenProgram"];
  const info = named(keys, names);
  if (!info || (data.length > 0 && data[0] !== 0 && data[0] !== 1)) return null;
  return {
    program: "spl-associated-token-account",
    type: data[0] === 1 ? "createIdempotent" : "create",
    info,
  };
}

/** jsonParsed instruction: parsed for System, SPL Token (both programs) and ATA; partially decoded otherwise. */
export function parseInstruction(
  ix: CompiledIx,
  accountKeys: readonly string[],
  stackHeight: number | null,
) {
  const programId = accountKeys[ix.programIdIndex] ?? "";
  const keys = ix.accounts.map((i) => accountKeys[i] ?? "");
  let parsed: Parsed = null;
  if (programId === SYSTEM_PROGRAM) parsed = parseSystem(ix.data, keys);
  else if (programId === TOKEN_PROGRAM || programId === TOKEN_2022_PROGRAM)
    parsed = parseToken(ix.data, keys);
  else if (programId === ATA_PROGRAM) parsed = parseAta(ix.data, keys);
  if (parsed)
    return {
      program: parsed.program,
      programId,
      parsed: { type: parsed.type, info: parsed.info },
      stackHeight,
    };
  return { programId, accounts: keys, data: bytesToBase58(ix.data), stackHeight };
}
