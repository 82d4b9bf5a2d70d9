import { bytesToBase58 } from "./base58.js";
import { parseAssociatedTokenInstruction } from "./parsed-instructions/associated-token-instructions.js";
import {
  InstructionAccounts,
  type InstructionParser,
  InstructionReader,
  NotParsableError,
} from "./parsed-instructions/instruction-reader.js";
import {
  parseBpfLoaderInstruction,
  parseUpgradeableLoaderInstruction,
} from "./parsed-instructions/loader-instructions.js";
import { parseLookupTableInstruction } from "./parsed-instructions/lookup-table-instructions.js";
import { parseStakeInstruction } from "./parsed-instructions/stake-instructions.js";
import { parseSystemInstruction } from "./parsed-instructions/system-instructions.js";
import { parseTokenInstruction } from "./parsed-instructions/token-instructions.js";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "./token-layout.js";

export interface CompiledInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

/** Programs whose instructions agave's jsonParsed names (kebab-case names, as agave prints them). */
const PARSERS: ReadonlyMap<string, { program: string; parse: InstructionParser }> = new Map([
  ["11111111111111111111111111111111", { program: "system", parse: parseSystemInstruction }],
  [TOKEN_PROGRAM, { program: "spl-token", parse: parseTokenInstruction }],
  [TOKEN_2022_PROGRAM, { program: "spl-token", parse: parseTokenInstruction }],
  [
    "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",
    { program: "spl-associated-token-account", parse: parseAssociatedTokenInstruction },
  ],
  [
    "AddressLookupTab1e1111111111111111111111111",
    { program: "address-lookup-table", parse: parseLookupTableInstruction },
  ],
  [
    "BPFLoader2111111111111111111111111111111111",
    { program: "bpf-loader", parse: parseBpfLoaderInstruction },
  ],
  [
    "BPFLoaderUpgradeab1e11111111111111111111111",
    { program: "bpf-upgradeable-loader", parse: parseUpgradeableLoaderInstruction },
  ],
  [
    "Stake11111111111111111111111111111111111111",
    { program: "stake", parse: parseStakeInstruction },
  ],
]);

/** Memo v1 and v2/v3: agave parses their data as the UTF-8 string itself. */
export const MEMO_PROGRAMS: ReadonlySet<string> = new Set([
  "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo",
  "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",
]);

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The memo text, or null when the data is not UTF-8. */
export function decodeMemo(data: Uint8Array): string | null {
  try {
    return utf8.decode(data);
  } catch {
    return null;
  }
}

function parseKnown(programId: string, ix: CompiledInstruction, keys: string[] | null) {
  if (MEMO_PROGRAMS.has(programId)) {
    const memo = decodeMemo(ix.data);
    return memo === null ? null : { program: "spl-memo", parsed: memo };
  }
  const parser = PARSERS.get(programId);
  // agave refuses an instruction with no accounts or an index past the keys ("key mismatch").
  if (!parser || keys === null || keys.length === 0) return null;
  try {
    const parsed = parser.parse(new InstructionReader(ix.data), new InstructionAccounts(keys));
    return { program: parser.program, parsed };
  } catch (error) {
    if (error instanceof NotParsableError || error instanceof TypeError) return null;
    throw error;
  }
}

/** jsonParsed instruction: parsed for the programs agave parses, partially decoded otherwise. */
export function parseInstruction(
  ix: CompiledInstruction,
  accountKeys: readonly string[],
  stackHeight: number | null,
) {
  const programId = accountKeys[ix.programIdIndex] ?? "";
  const resolved = ix.accounts.map((i) => accountKeys[i]);
  const keys = resolved.every((key) => key !== undefined) ? (resolved as string[]) : null;
  const known = parseKnown(programId, ix, keys);
  if (known) return { program: known.program, programId, parsed: known.parsed, stackHeight };
  return {
    programId,
    accounts: resolved.map((key) => key ?? ""),
    data: bytesToBase58(ix.data),
    stackHeight,
  };
}
