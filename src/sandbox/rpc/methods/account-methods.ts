import type { Address } from "@solana/kit";
import { z } from "zod";
import {
  createDecimalsReader,
  encodeAccount,
  isParsedData,
} from "../../encoding/account-encoding.js";
import { addressToBytes } from "../../encoding/base58.js";
import { isTokenProgram } from "../../encoding/token-layout.js";
import {
  accountConfigSchema,
  addressSchema,
  commitmentConfigSchema,
  optionalConfig,
  parseParams,
} from "../params.js";
import { readSlot, withContext } from "../rpc-context.js";
import type { RpcMethodTable } from "../rpc-method.js";
import {
  compileFilters,
  exactInvalidParams,
  programAccountFiltersSchema,
} from "./program-account-filters.js";

export {
  compileFilters,
  type ProgramAccountFilter,
  programAccountFiltersSchema,
} from "./program-account-filters.js";

const MAX_MULTIPLE_ACCOUNTS = 100;

function sortByKeyBytes(entries: { address: Address }[]): void {
  const keyed = new Map(entries.map(({ address }) => [address, addressToBytes(address)]));
  entries.sort((a, b) =>
    Buffer.compare(
      keyed.get(a.address) ?? Buffer.alloc(0),
      keyed.get(b.address) ?? Buffer.alloc(0),
    ),
  );
}

const programAccountsConfigSchema = accountConfigSchema.extend({
  filters: programAccountFiltersSchema.optional(),
  withContext: z.boolean().optional(),
  sortResults: z.boolean().optional(),
});

const getBalanceParams = z.tuple([addressSchema, optionalConfig(commitmentConfigSchema)]);
const getAccountInfoParams = z.tuple([addressSchema, optionalConfig(accountConfigSchema)]);
const getMultipleAccountsParams = z.tuple([
  z.array(addressSchema),
  optionalConfig(accountConfigSchema),
]);
const getProgramAccountsParams = z.tuple([
  addressSchema,
  optionalConfig(programAccountsConfigSchema),
]);

/**
 * Balances and account reads, as of the slot the commitment (and the endpoint's lag) reads at:
 * what an RPC-sent transaction wrote is seen at `confirmed` once its slot is (`getAccountAt`).
 * Default encodings are agave's: binary (bare base58) for getAccountInfo and getProgramAccounts,
 * base64 for getMultipleAccounts.
 */
export const accountMethods: RpcMethodTable = {
  getBalance: (params, ctx) => {
    const [address, config] = parseParams(getBalanceParams, params);
    const slot = readSlot(ctx, config);
    return withContext(slot, ctx.chain.getAccountAt(address, slot)?.lamports ?? 0n);
  },
  getAccountInfo: (params, ctx) => {
    const [address, config] = parseParams(getAccountInfoParams, params);
    const slot = readSlot(ctx, config);
    const account = ctx.chain.getAccountAt(address, slot);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    return withContext(
      slot,
      account ? encodeAccount(account, config ?? {}, decimals, address) : null,
    );
  },
  getMultipleAccounts: (params, ctx) => {
    const [addresses, config] = parseParams(getMultipleAccountsParams, params);
    if (addresses.length > MAX_MULTIPLE_ACCOUNTS) {
      throw exactInvalidParams(`Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`);
    }
    const slot = readSlot(ctx, config);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    const options = { ...config, encoding: config?.encoding ?? "base64" };
    return withContext(
      slot,
      addresses.map((address) => {
        const account = ctx.chain.getAccountAt(address, slot);
        return account ? encodeAccount(account, options, decimals, address) : null;
      }),
    );
  },
  getProgramAccounts: (params, ctx) => {
    const [program, config] = parseParams(getProgramAccountsParams, params);
    const slot = readSlot(ctx, config);
    const matches = compileFilters(config?.filters ?? []);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    const found = ctx.chain
      .getProgramAccounts(program as Address)
      .filter(({ account }) => matches(account.data));
    // agave scans in pubkey (byte) order unless asked not to (`sortResults: false`).
    if (config?.sortResults ?? true) sortByKeyBytes(found);
    const encoded = found.map(({ address, account }) => ({
      pubkey: address,
      account: encodeAccount(account, config ?? {}, decimals, address),
    }));
    // agave leaves out the token accounts it cannot parse (mint unknown) from a jsonParsed scan.
    const value =
      config?.encoding === "jsonParsed" && isTokenProgram(program)
        ? encoded.filter(({ account }) => isParsedData(account.data))
        : encoded;
    return config?.withContext ? withContext(slot, value) : value;
  },
};
