import type { Address, KeyPairSigner } from "@solana/kit";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../core/token-programs.js";
import type { SandboxChain } from "../index.js";
import type { ChainSender } from "./chain-sender.js";
import {
  ADDRESSES_PER_EXTEND,
  getCreateLookupTableInstruction,
  getExtendLookupTableInstruction,
  getLookupTableAddress,
  getRecentSlot,
} from "./lookup-table-instructions.js";
import { NATIVE_MINT, type Pool, SYSTEM_PROGRAM } from "./pool.js";

const ASSOCIATED_TOKEN_PROGRAM = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL" as Address;

/** The market's address lookup table, as its routes use it. */
export interface MarketLookupTable {
  readonly address: Address;
  /** The table's addresses, in index order. */
  readonly addresses: readonly Address[];
  readonly indexOf: ReadonlyMap<Address, number>;
  /** The first slot whose transactions can load every address (the slot after the extension). */
  readonly activeFromSlot: bigint;
}

/** Where an extension's slot sits in the table's 56-byte header (after type and deactivation). */
const LAST_EXTENDED_SLOT_OFFSET = 12;

/**
 * What every route through the pools names besides the user's own accounts and the pool
 * authority (a signer, so it can never be loaded): the programs, the vaults and the mints, and
 * `extra` (transfer-hook programs and their validation accounts).
 */
export function getPoolTableAddresses(
  pools: readonly Pool[],
  extra: readonly Address[] = [],
): Address[] {
  const addresses = new Set<Address>([
    SYSTEM_PROGRAM,
    TOKEN_PROGRAM,
    TOKEN_2022_PROGRAM,
    ASSOCIATED_TOKEN_PROGRAM,
    NATIVE_MINT,
  ]);
  for (const pool of pools) {
    addresses.add(pool.base.address).add(pool.base.mint).add(pool.base.program);
    if (pool.quote.kind === "lamports") addresses.add(pool.quote.wsolAccount);
    else addresses.add(pool.quote.address).add(pool.quote.mint).add(pool.quote.program);
  }
  for (const address of extra) addresses.add(address);
  return [...addresses];
}

/**
 * Creates the table and extends it with `addresses` (the creation rides with the first
 * extension: one transaction per 28 addresses), as an aggregator sets up its routes' tables.
 */
export async function createMarketLookupTable(
  chain: SandboxChain,
  sender: ChainSender,
  authority: KeyPairSigner,
  addresses: readonly Address[],
): Promise<MarketLookupTable> {
  const recentSlot = getRecentSlot(chain);
  const { address, bump } = await getLookupTableAddress(authority.address, recentSlot);
  const table = { table: address, authority, payer: authority };
  for (let i = 0; i < addresses.length; i += ADDRESSES_PER_EXTEND) {
    const extend = getExtendLookupTableInstruction({
      ...table,
      addresses: addresses.slice(i, i + ADDRESSES_PER_EXTEND),
    });
    await sender.send(
      authority,
      i === 0
        ? [getCreateLookupTableInstruction({ ...table, recentSlot, bump }), extend]
        : [extend],
    );
  }
  const data = chain.getAccount(address)?.data;
  if (!data) throw new Error(`lookup table ${address} was not created`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return {
    address,
    addresses,
    indexOf: new Map(addresses.map((a, i) => [a, i])),
    activeFromSlot: view.getBigUint64(LAST_EXTENDED_SLOT_OFFSET, true) + 1n,
  };
}

/**
 * Resolves once the table is active or after `limitMs`, whichever is first: a running clock
 * gets there within a slot; a paused one (tests advancing by hand) is not waited for.
 */
export function waitForLookupTable(
  chain: SandboxChain,
  table: MarketLookupTable,
  limitMs: number,
): Promise<void> {
  if (!chain.clock.running || chain.getSlot("processed") >= table.activeFromSlot)
    return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, limitMs);
    const off = chain.onSlot((slot) => {
      if (slot >= table.activeFromSlot) done();
    });
  });
}
