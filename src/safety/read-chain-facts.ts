import {
  type Address,
  type GetEpochInfoApi,
  type GetMultipleAccountsApi,
  type GetTokenLargestAccountsApi,
  getAddressDecoder,
  getBase64Encoder,
  type Rpc,
} from "@solana/kit";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import {
  getMetaplexMetadataAddress,
  parseMetaplexMetadata,
  type TokenMetadataInfo,
} from "./parse-metaplex-metadata.js";
import { type ParsedMint, parseMintAccount } from "./parse-mint-account.js";
import { type Readable, readable, settle } from "./readable.js";

/** The RPC methods the analyzer uses, so any kit Rpc (a pool, a plain endpoint) will do. */
export type SafetyRpc = Rpc<GetMultipleAccountsApi & GetTokenLargestAccountsApi & GetEpochInfoApi>;

export interface HolderAccount {
  /** The token account. */
  readonly address: Address;
  readonly amount: bigint;
  /** The wallet or program authority that owns the token account; null when unreadable. */
  readonly owner: Address | null;
}

export interface ChainFacts {
  readonly slot: bigint;
  readonly mint: ParsedMint;
  readonly metaplex: TokenMetadataInfo | null;
  readonly epoch: Readable<bigint>;
  readonly holders: Readable<readonly HolderAccount[]>;
}

const COMMITMENT = "confirmed";
/** The Clock sysvar: read with the mint, it gives the epoch without a request of its own. */
const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111" as Address;
const CLOCK_EPOCH_OFFSET = 16;
const base64 = getBase64Encoder();

function toBytes(data: readonly [string, string]): Uint8Array {
  return new Uint8Array(base64.encode(data[0]));
}

function readU64(data: Uint8Array, offset: number): bigint {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(offset, true);
}

/** Token account owners sit at bytes 32..64 of both token programs' account layouts. */
function readOwner(data: Uint8Array): Address | null {
  return data.length >= 64 ? getAddressDecoder().decode(data.subarray(32, 64)) : null;
}

/** What can change from one moment to the next: the mint (authorities, extensions) and metadata. */
export type MintFacts = Omit<ChainFacts, "holders">;

/*
 * Everything the analyzer reads from the chain, in two sequential round trips:
 * 1. getMultipleAccounts [mint, Metaplex PDA, Clock sysvar] (readMintFacts) ∥
 *    getTokenLargestAccounts (readHolderFacts);
 * 2. getMultipleAccounts over the largest token accounts, for their owners.
 */

/** The holders, as a Readable: an unreadable list makes the concentration check `unknown`. */
export function readHolderFacts(
  rpc: SafetyRpc,
  mint: Address,
): Promise<Readable<readonly HolderAccount[]>> {
  return settle(readHolders(rpc, mint));
}

/** One round trip: getMultipleAccounts [mint, Metaplex PDA, Clock sysvar]. */
export async function readMintFacts(rpc: SafetyRpc, mint: Address): Promise<MintFacts> {
  const metadataAddress = await getMetaplexMetadataAddress(mint);
  let accounts: Awaited<ReturnType<ReturnType<SafetyRpc["getMultipleAccounts"]>["send"]>>;
  try {
    accounts = await rpc
      .getMultipleAccounts([mint, metadataAddress, CLOCK_SYSVAR], {
        encoding: "base64",
        commitment: COMMITMENT,
      })
      .send();
  } catch (error) {
    if (isOspreyError(error)) throw error;
    throw new OspreyError(
      "RPC_UNAVAILABLE",
      "The mint account could not be read.",
      {},
      { cause: error },
    );
  }
  const [mintAccount, metadataAccount, clockAccount] = accounts.value;
  if (!mintAccount)
    throw new OspreyError("TOKEN_NOT_FOUND", `No account exists at ${mint}.`, { mint });
  const parsed = parseMintAccount(mint, {
    owner: mintAccount.owner,
    data: toBytes(mintAccount.data),
  });
  const metaplex = metadataAccount
    ? parseMetaplexMetadata(mint, {
        owner: metadataAccount.owner,
        data: toBytes(metadataAccount.data),
      })
    : null;
  const clock = clockAccount ? toBytes(clockAccount.data) : null;
  // An RPC that hides sysvars costs one more request, only then.
  const epoch =
    clock && clock.length >= CLOCK_EPOCH_OFFSET + 8
      ? readable(readU64(clock, CLOCK_EPOCH_OFFSET))
      : await settle(
          rpc
            .getEpochInfo({ commitment: COMMITMENT })
            .send()
            .then((info) => info.epoch),
        );
  return { slot: accounts.context.slot, mint: parsed, metaplex, epoch };
}

async function readHolders(rpc: SafetyRpc, mint: Address): Promise<HolderAccount[]> {
  const largest = await rpc.getTokenLargestAccounts(mint, { commitment: COMMITMENT }).send();
  const top = largest.value.filter((entry) => BigInt(entry.amount) > 0n);
  if (top.length === 0) return [];
  const owners = await rpc
    .getMultipleAccounts(
      top.map((entry) => entry.address),
      { encoding: "base64", commitment: COMMITMENT },
    )
    .send();
  return top.map((entry, i) => {
    const account = owners.value[i];
    return {
      address: entry.address,
      amount: BigInt(entry.amount),
      owner: account ? readOwner(toBytes(account.data)) : null,
    };
  });
}
