import type { Address } from "@solana/kit";
import { z } from "zod";
import type { TokenAccountEntry } from "../../chain/token-account-index.js";
import { createDecimalsReader, encodeAccount } from "../../encoding/account-encoding.js";
import { addressToBytes } from "../../encoding/base58.js";
import {
  isTokenProgram,
  readMint,
  readTokenAccount,
  toUiTokenAmount,
} from "../../encoding/token-layout.js";
import {
  type AccountConfig,
  accountConfigSchema,
  addressSchema,
  commitmentSchema,
  optionalConfig,
  parseParams,
} from "../params.js";
import { type RpcContext, readSlot, withContext } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { getMintInfo } from "./token-mint-info.js";

const MAX_LARGEST_ACCOUNTS = 20;
/**
 * agave takes a bare `CommitmentConfig` here, whose `commitment` is required: `{}` (what kit sends
 * when no commitment is given) answers "Invalid params: missing field `commitment`.".
 */
const addressAndConfig = z.tuple([
  addressSchema,
  optionalConfig(z.looseObject({ commitment: commitmentSchema })),
]);

const tokenAccountsFilterSchema = z.union([
  z.object({ mint: addressSchema }),
  z.object({ programId: addressSchema }),
]);
type TokenAccountsFilter = z.infer<typeof tokenAccountsFilterSchema>;

const getTokenAccountsParams = z.tuple([
  addressSchema,
  tokenAccountsFilterSchema,
  optionalConfig(accountConfigSchema),
]);

/** agave's `get_token_program_id_and_mint`: the program to scan and the mint to match, if any. */
function getProgramAndMint(ctx: RpcContext, filter: TokenAccountsFilter) {
  if ("programId" in filter) {
    if (!isTokenProgram(filter.programId))
      throw invalidParams("Invalid param: unrecognized Token program id");
    return { programs: [filter.programId], mint: undefined };
  }
  const { program } = getMintInfo(ctx.chain, filter.mint);
  if (!isTokenProgram(program)) throw invalidParams("Invalid param: not a Token mint");
  return { programs: [program], mint: filter.mint };
}

/** agave returns scans sorted by pubkey (its `sort_results` default): byte order, not base58's. */
function sortByPubkey(entries: readonly TokenAccountEntry[]): TokenAccountEntry[] {
  return entries
    .map((entry) => ({ entry, key: Buffer.from(addressToBytes(entry.address) ?? []) }))
    .sort((a, b) => Buffer.compare(a.key, b.key))
    .map(({ entry }) => entry);
}

function encodeEntries(
  ctx: RpcContext,
  entries: readonly TokenAccountEntry[],
  config: AccountConfig | undefined,
) {
  const decimals = createDecimalsReader(ctx.chain.getAccount);
  return entries.map(({ address, account }) => ({
    pubkey: address,
    account: encodeAccount(account, config ?? {}, decimals),
  }));
}

export const tokenMethods: RpcMethodTable = {
  getTokenAccountBalance: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const account = ctx.chain.getAccountAt(address, slot);
    if (!account) throw invalidParams("Invalid param: could not find account");
    const token = isTokenProgram(account.owner) ? readTokenAccount(account.data) : null;
    if (!token) throw invalidParams("Invalid param: not a Token account");
    const { decimals } = getMintInfo(ctx.chain, token.mint);
    return withContext(slot, toUiTokenAmount(token.amount, decimals));
  },
  getTokenSupply: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const account = ctx.chain.getAccountAt(address, slot);
    if (!account) throw invalidParams("Invalid param: could not find account");
    if (!isTokenProgram(account.owner)) throw invalidParams("Invalid param: not a Token mint");
    const mint = readMint(account.data);
    if (!mint?.isInitialized) throw invalidParams("Invalid param: mint could not be unpacked");
    return withContext(slot, toUiTokenAmount(mint.supply, mint.decimals));
  },
  getTokenLargestAccounts: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const { program, decimals } = getMintInfo(ctx.chain, address);
    if (!isTokenProgram(program)) throw invalidParams("Invalid param: not a Token mint");
    const holders = ctx.chain
      .getTokenAccountsByMint(address)
      .filter(({ account }) => account.owner === program)
      .sort((a, b) =>
        a.token.amount < b.token.amount ? 1 : a.token.amount > b.token.amount ? -1 : 0,
      )
      .slice(0, MAX_LARGEST_ACCOUNTS)
      .map(({ address: holder, token }) => ({
        address: holder,
        ...toUiTokenAmount(token.amount, decimals),
      }));
    return withContext(slot, holders);
  },
  getTokenAccountsByOwner: (params, ctx) => {
    const [owner, filter, config] = parseParams(getTokenAccountsParams, params);
    const slot = readSlot(ctx, config);
    const { programs, mint } = getProgramAndMint(ctx, filter);
    const entries = ctx.chain
      .getTokenAccountsByOwner(owner, slot)
      .filter(
        ({ account, token }) =>
          programs.includes(account.owner) && (mint === undefined || token.mint === mint),
      );
    return withContext(slot, encodeEntries(ctx, sortByPubkey(entries), config));
  },
  getTokenAccountsByDelegate: (params, ctx) => {
    const [delegate, filter, config] = parseParams(getTokenAccountsParams, params);
    const slot = readSlot(ctx, config);
    const { programs, mint } = getProgramAndMint(ctx, filter);
    const candidates: TokenAccountEntry[] =
      mint === undefined
        ? programs.flatMap((program) => scanTokenAccounts(ctx, program))
        : [...ctx.chain.getTokenAccountsByMint(mint)];
    const entries = candidates.filter(
      ({ account, token }) => programs.includes(account.owner) && token.delegate === delegate,
    );
    return withContext(slot, encodeEntries(ctx, sortByPubkey(entries), config));
  },
};

/** Initialized token accounts of one token program: a full scan, as a validator without an index does. */
function scanTokenAccounts(ctx: RpcContext, program: Address): TokenAccountEntry[] {
  const entries: TokenAccountEntry[] = [];
  for (const { address, account } of ctx.chain.getProgramAccounts(program)) {
    const token = readTokenAccount(account.data);
    if (token) entries.push({ address, account, token });
  }
  return entries;
}
