import type { Address } from "@solana/kit";
import { z } from "zod";
import { createDecimalsReader, encodeAccount } from "../../encoding/account-encoding.js";
import { base58ToBytes } from "../../encoding/base58.js";
import {
  accountConfigSchema,
  addressSchema,
  commitmentConfigSchema,
  optionalConfig,
  parseParams,
} from "../params.js";
import { readSlot, withContext } from "../rpc-context.js";
import { invalidParams } from "../rpc-error.js";
import type { RpcMethodTable } from "../rpc-method.js";

const MAX_MULTIPLE_ACCOUNTS = 100;

const memcmpSchema = z.object({
  offset: z.number().int().nonnegative(),
  bytes: z.string(),
  encoding: z.enum(["base58", "base64"]).optional(),
});
const filterSchema = z.union([
  z.object({ dataSize: z.number().int().nonnegative() }),
  z.object({ memcmp: memcmpSchema }),
]);
export const programAccountFiltersSchema = z
  .array(filterSchema)
  .max(4, "Too many filters provided; max 4");
export type ProgramAccountFilter = z.infer<typeof filterSchema>;

/** Compiles RPC filters into a predicate over account data (bad bytes are -32602, as on mainnet). */
export function compileFilters(
  filters: readonly ProgramAccountFilter[],
): (data: Uint8Array) => boolean {
  const tests = filters.map((filter) => {
    if ("dataSize" in filter) return (data: Uint8Array) => data.length === filter.dataSize;
    const { offset, bytes, encoding } = filter.memcmp;
    const wanted = encoding === "base64" ? Buffer.from(bytes, "base64") : base58ToBytes(bytes);
    if (!wanted) throw invalidParams("Invalid param: invalid memcmp bytes");
    return (data: Uint8Array) =>
      data.length >= offset + wanted.length && wanted.every((byte, i) => data[offset + i] === byte);
  });
  return (data) => tests.every((test) => test(data));
}

const programAccountsConfigSchema = accountConfigSchema.extend({
  filters: programAccountFiltersSchema.optional(),
  withContext: z.boolean().optional(),
});

const getBalanceParams = z.tuple([addressSchema, optionalConfig(commitmentConfigSchema)]);
const getAccountInfoParams = z.tuple([addressSchema, optionalConfig(accountConfigSchema)]);
const getMultipleAccountsParams = z.tuple([
  z
    .array(addressSchema)
    .max(MAX_MULTIPLE_ACCOUNTS, `Too many inputs provided; max ${MAX_MULTIPLE_ACCOUNTS}`),
  optionalConfig(accountConfigSchema),
]);
const getProgramAccountsParams = z.tuple([
  addressSchema,
  optionalConfig(programAccountsConfigSchema),
]);

/** Balances and account reads. State is always the tip's: only `context.slot` follows commitment. */
export const accountMethods: RpcMethodTable = {
  getBalance: (params, ctx) => {
    const [address, config] = parseParams(getBalanceParams, params);
    const slot = readSlot(ctx, config);
    return withContext(slot, ctx.chain.getAccount(address)?.lamports ?? 0n);
  },
  getAccountInfo: (params, ctx) => {
    const [address, config] = parseParams(getAccountInfoParams, params);
    const slot = readSlot(ctx, config);
    const account = ctx.chain.getAccount(address);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    return withContext(slot, account ? encodeAccount(account, config ?? {}, decimals) : null);
  },
  getMultipleAccounts: (params, ctx) => {
    const [addresses, config] = parseParams(getMultipleAccountsParams, params);
    const slot = readSlot(ctx, config);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    return withContext(
      slot,
      addresses.map((address) => {
        const account = ctx.chain.getAccount(address);
        return account ? encodeAccount(account, config ?? {}, decimals) : null;
      }),
    );
  },
  getProgramAccounts: (params, ctx) => {
    const [program, config] = parseParams(getProgramAccountsParams, params);
    const slot = readSlot(ctx, config);
    const matches = compileFilters(config?.filters ?? []);
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    const value = ctx.chain
      .getProgramAccounts(program as Address)
      .filter(({ account }) => matches(account.data))
      .map(({ address, account }) => ({
        pubkey: address,
        account: encodeAccount(account, config ?? {}, decimals),
      }));
    return config?.withContext ? withContext(slot, value) : value;
  },
};
