import type { Address } from "@solana/kit";
import { z } from "zod";
import type { SandboxChain } from "../../chain/sandbox-chain.js";
import { createDecimalsReader, encodeAccount } from "../../encoding/account-encoding.js";
import {
  isTokenProgram,
  readMint,
  readTokenAccount,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
  toUiTokenAmount,
} from "../../encoding/token-layout.js";
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

const MAX_LARGEST_ACCOUNTS = 20;
const addressAndConfig = z.tuple([addressSchema, optionalConfig(commitmentConfigSchema)]);

function getMintInfo(chain: SandboxChain, mint: Address) {
  const account = chain.getAccount(mint);
  const parsed = account && isTokenProgram(account.owner) ? readMint(account.data) : null;
  if (!account || !parsed) throw invalidParams("Invalid param: not a Token mint");
  return { program: account.owner, mint: parsed };
}

const ownerFilterSchema = z.union([
  z.object({ mint: addressSchema }),
  z.object({ programId: addressSchema }),
]);

const getTokenAccountsByOwnerParams = z.tuple([
  addressSchema,
  ownerFilterSchema,
  optionalConfig(accountConfigSchema),
]);

export const tokenMethods: RpcMethodTable = {
  getTokenAccountBalance: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const account = ctx.chain.getAccount(address);
    const token = account && isTokenProgram(account.owner) ? readTokenAccount(account.data) : null;
    if (!token) throw invalidParams("Invalid param: not a Token account");
    const { mint } = getMintInfo(ctx.chain, token.mint);
    return withContext(slot, toUiTokenAmount(token.amount, mint.decimals));
  },
  getTokenSupply: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const { mint } = getMintInfo(ctx.chain, address);
    return withContext(slot, toUiTokenAmount(mint.supply, mint.decimals));
  },
  getTokenLargestAccounts: (params, ctx) => {
    const [address, config] = parseParams(addressAndConfig, params);
    const slot = readSlot(ctx, config);
    const { program, mint } = getMintInfo(ctx.chain, address);
    const holders = ctx.chain
      .getTokenAccountsByMint(address)
      .filter(({ account }) => account.owner === program)
      .sort((a, b) =>
        a.token.amount < b.token.amount ? 1 : a.token.amount > b.token.amount ? -1 : 0,
      )
      .slice(0, MAX_LARGEST_ACCOUNTS)
      .map(({ address: holder, token }) => ({
        address: holder,
        ...toUiTokenAmount(token.amount, mint.decimals),
      }));
    return withContext(slot, holders);
  },
  getTokenAccountsByOwner: (params, ctx) => {
    const [owner, filter, config] = parseParams(getTokenAccountsByOwnerParams, params);
    const slot = readSlot(ctx, config);
    let programs: Address[] = [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];
    if ("programId" in filter) {
      if (!isTokenProgram(filter.programId))
        throw invalidParams("Invalid param: unrecognized Token program id");
      programs = [filter.programId];
    } else {
      programs = [getMintInfo(ctx.chain, filter.mint).program];
    }
    const decimals = createDecimalsReader(ctx.chain.getAccount);
    const held = ctx.chain.getTokenAccountsByOwner(owner);
    // Grouped by program in the order asked, as a scan of each program's accounts returns them.
    const value = programs
      .flatMap((program) => held.filter(({ account }) => account.owner === program))
      .filter(({ token }) => !("mint" in filter) || token.mint === filter.mint)
      .map(({ address, account }) => ({
        pubkey: address,
        account: encodeAccount(account, config ?? {}, decimals),
      }));
    return withContext(slot, value);
  },
};
