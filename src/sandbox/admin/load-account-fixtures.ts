import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Address } from "@solana/kit";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { SandboxError } from "../chain/sandbox-error.js";
import { parseAccountFixture, toSetAccountInput } from "./account-fixture.js";

/** `--account <ADDRESS> <FILE>`; an address of "-" takes the file's own pubkey. */
export interface AccountFixtureSource {
  address: string;
  file: string;
}

export interface AccountFixtureOptions {
  accounts?: readonly AccountFixtureSource[];
  /** Every `*.json` in these directories, each under its own pubkey (`--account-dir`). */
  dirs?: readonly string[];
}

const STAKE_CONFIG = "StakeConfig11111111111111111111111111111111";
const GENESIS_OWNERS = new Set([
  "Sysvar1111111111111111111111111111111111111",
  "NativeLoader1111111111111111111111111111111",
]);

/**
 * A validator writes its own genesis accounts (sysvars, builtin programs, the stake config)
 * after the ones it is given, so a fixture for one of them does not take effect.
 */
function isWrittenByGenesis(chain: SandboxChain, address: Address): boolean {
  if (address === STAKE_CONFIG) return true;
  const owner = chain.getAccount(address)?.owner;
  return owner !== undefined && GENESIS_OWNERS.has(owner);
}

async function readFixture(file: string, address?: string) {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new SandboxError(
      "INVALID_ARGUMENT",
      `cannot read account file ${file}: ${(error as Error).message}`,
    );
  }
  try {
    const fixture = parseAccountFixture(text);
    const pubkey = address === undefined || address === "-" ? fixture.pubkey : (address as Address);
    return { pubkey, account: fixture.account };
  } catch (error) {
    throw new SandboxError("INVALID_ARGUMENT", `${file}: ${(error as Error).message}`);
  }
}

/** Loads solana-test-validator account fixtures into the chain, like `--account`/`--account-dir`. */
export async function loadAccountFixtures(
  chain: SandboxChain,
  options: AccountFixtureOptions,
): Promise<Address[]> {
  const fixtures = [];
  for (const dir of options.dirs ?? []) {
    const names = (await readdir(dir)).filter((name) => name.endsWith(".json")).sort();
    for (const name of names) fixtures.push(await readFixture(join(dir, name)));
  }
  for (const { address, file } of options.accounts ?? []) {
    fixtures.push(await readFixture(file, address));
  }
  const loaded: Address[] = [];
  for (const { pubkey, account } of fixtures) {
    if (isWrittenByGenesis(chain, pubkey)) continue;
    chain.setAccount(toSetAccountInput(pubkey, account));
    loaded.push(pubkey);
  }
  return loaded;
}
