import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  createKeypairBytes,
  getKeypairSigner,
  type KeypairBytes,
  type ValidatorKeypairs,
} from "../chain/validator-keypairs.js";

/** File names solana-test-validator gives its keys inside `--ledger`. */
export const LEDGER_KEYPAIR_FILES = {
  identity: "validator-keypair.json",
  voteAccount: "vote-account-keypair.json",
  faucet: "faucet-keypair.json",
} as const satisfies Record<keyof ValidatorKeypairs, string>;

/**
 * The keys of a ledger directory: each keypair file that exists is read (a restarted ledger
 * keeps its validator), each missing one is generated and written as solana-keygen writes it.
 */
export async function openLedgerKeypairs(directory: string): Promise<ValidatorKeypairs> {
  await mkdir(directory, { recursive: true });
  const [identity, voteAccount, faucet] = await Promise.all(
    (["identity", "voteAccount", "faucet"] as const).map((name) =>
      openKeypairFile(join(directory, LEDGER_KEYPAIR_FILES[name])),
    ),
  );
  return {
    identity: identity as KeypairBytes,
    voteAccount: voteAccount as KeypairBytes,
    faucet: faucet as KeypairBytes,
  };
}

async function openKeypairFile(path: string): Promise<KeypairBytes> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const keypair = createKeypairBytes();
    // A secret: owner-only, and never overwrite a file another process just wrote ("wx").
    await writeFile(path, `${JSON.stringify(Array.from(keypair))}\n`, { mode: 0o600, flag: "wx" });
    return keypair;
  }
  return parseKeypairFile(text, path);
}

/** solana-keygen's format: a JSON array of the 64 bytes (secret seed, then public key). */
export function parseKeypairFile(text: string, path: string): KeypairBytes {
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not a keypair file (expected a JSON array of 64 bytes)`);
  }
  const isByte = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 256;
  if (!Array.isArray(values) || values.length !== 64 || !values.every(isByte)) {
    throw new Error(`${path} is not a keypair file (expected a JSON array of 64 bytes)`);
  }
  const keypair = Uint8Array.from(values as number[]);
  try {
    getKeypairSigner(keypair);
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`);
  }
  return keypair;
}
