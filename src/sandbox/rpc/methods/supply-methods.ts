import type { Address } from "@solana/kit";
import { z } from "zod";
import { SLOTS_PER_EPOCH } from "../../chain/sandbox-chain.js";
import { commitmentConfigSchema, optionalConfig, parseParams } from "../params.js";
import { slotAt, withContext } from "../rpc-context.js";
import type { RpcMethodTable } from "../rpc-method.js";
import { listLedgerAccounts } from "./ledger-scan.js";
import { getNonCirculatingSupply } from "./non-circulating-supply.js";

/** agave's NUM_LARGEST_ACCOUNTS. */
const NUM_LARGEST_ACCOUNTS = 20;

const getSupplyParams = z.tuple([
  optionalConfig(
    commitmentConfigSchema.extend({ excludeNonCirculatingAccountsList: z.boolean().optional() }),
  ),
]);
const getLargestAccountsParams = z.tuple([
  optionalConfig(
    commitmentConfigSchema.extend({
      filter: z.enum(["circulating", "nonCirculating"]).optional(),
      sortResults: z.boolean().optional(),
    }),
  ),
]);

/** Total supply (the bank's capitalization) and what of it does not circulate. */
export const supplyMethods: RpcMethodTable = {
  getSupply: (params, ctx) => {
    const [config] = parseParams(getSupplyParams, params);
    // Like agave, these read the bank at a commitment and do not take a minContextSlot.
    const slot = slotAt(ctx, config?.commitment);
    let total = 0n;
    for (const { account } of listLedgerAccounts(ctx.chain, slot)) total += account.lamports;
    const nonCirculating = getNonCirculatingSupply(ctx.chain, slot, slot / SLOTS_PER_EPOCH);
    return withContext(slot, {
      total,
      circulating: total - nonCirculating.lamports,
      nonCirculating: nonCirculating.lamports,
      nonCirculatingAccounts: config?.excludeNonCirculatingAccountsList
        ? []
        : nonCirculating.accounts,
    });
  },
  getLargestAccounts: (params, ctx) => {
    const [config] = parseParams(getLargestAccountsParams, params);
    const slot = slotAt(ctx, config?.commitment);
    let entries = listLedgerAccounts(ctx.chain, slot).filter(
      ({ account }) => account.lamports > 0n,
    );
    if (config?.filter) {
      const listed = new Set<Address>(
        getNonCirculatingSupply(ctx.chain, slot, slot / SLOTS_PER_EPOCH).accounts,
      );
      const wanted = config.filter === "nonCirculating";
      entries = entries.filter(({ address }) => listed.has(address) === wanted);
    }
    const largest = [...entries]
      .sort((a, b) => (a.account.lamports < b.account.lamports ? 1 : -1))
      .slice(0, NUM_LARGEST_ACCOUNTS)
      .map(({ address, account }) => ({ address, lamports: account.lamports }));
    return withContext(slot, largest);
  },
};
