import { type Address, generateKeyPairSigner, none, some } from "@solana/kit";
import {
  AccountState,
  type ExtensionArgs,
  findAssociatedTokenPda,
  getMintEncoder,
  getTokenEncoder,
} from "@solana-program/token-2022";
import type { SandboxChain } from "../../src/sandbox/index.js";
import { createChainSender } from "../../src/sandbox/market/chain-sender.js";
import { createPool } from "../../src/sandbox/market/create-pool.js";
import { writeMetaplexMetadata } from "../../src/sandbox/market/metaplex-metadata.js";
import type { PoolRegistry } from "../../src/sandbox/market/pool-registry.js";

export const TOKEN_PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address;
export const TOKEN_2022_PROGRAM = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" as Address;
export const INCINERATOR = "1nc1nerator11111111111111111111111111111111" as Address;

export interface TestTokenSpec {
  readonly symbol: string;
  readonly program?: "spl-token" | "token-2022";
  readonly mintAuthority?: Address | null;
  readonly freezeAuthority?: Address | null;
  readonly extensions?: ExtensionArgs[];
  readonly metadata?: "metaplex" | "token-2022" | "none";
  readonly metadataMutable?: boolean;
  /** Whole-token shares (decimals 6) by holder; `pool` goes to the pool authority. */
  readonly pool?: bigint;
  readonly poolSol?: bigint;
  readonly holders?: readonly { owner?: Address; amount: bigint }[];
}

const UNIT = 1_000_000n;

/**
 * Writes a token straight into the sandbox ledger (mint and token accounts from the
 * token-2022 encoders, so any extension exists regardless of the bundled program version),
 * with a real pool in the sandbox swap API's registry when `pool` is given.
 */
export async function writeTestToken(
  chain: SandboxChain,
  pools: PoolRegistry,
  spec: TestTokenSpec,
): Promise<Address> {
  const mint = (await generateKeyPairSigner()).address;
  const program = spec.program === "spl-token" ? TOKEN_PROGRAM : TOKEN_2022_PROGRAM;
  const creator = (await generateKeyPairSigner()).address;
  const extensions = [...(spec.extensions ?? [])];
  const metadata = spec.metadata ?? (program === TOKEN_PROGRAM ? "metaplex" : "token-2022");
  if (metadata === "token-2022") {
    const authority = spec.metadataMutable ? some(creator) : none<Address>();
    extensions.push(
      { __kind: "MetadataPointer", authority, metadataAddress: some(mint) },
      {
        __kind: "TokenMetadata",
        updateAuthority: authority,
        mint,
        name: `${spec.symbol} test token`,
        symbol: spec.symbol,
        uri: "",
        additionalMetadata: new Map(),
      },
    );
  }
  const authority = spec.pool === undefined ? null : await generateKeyPairSigner();
  const holders = [
    ...(authority && spec.pool ? [{ owner: authority.address, amount: spec.pool }] : []),
    ...(spec.holders ?? []),
  ];
  const owners = await Promise.all(
    holders.map(async (h) =>
      "owner" in h && h.owner ? h.owner : (await generateKeyPairSigner()).address,
    ),
  );
  const supply = holders.reduce((sum, h) => sum + h.amount * UNIT, 0n);
  const data = new Uint8Array(
    getMintEncoder().encode({
      mintAuthority: spec.mintAuthority ?? null,
      supply,
      decimals: 6,
      isInitialized: true,
      freezeAuthority: spec.freezeAuthority ?? null,
      extensions: extensions.length > 0 ? some(extensions) : none(),
    }),
  );
  write(chain, mint, program, data);
  if (metadata === "metaplex") {
    await writeMetaplexMetadata(chain, {
      mint,
      updateAuthority: creator,
      name: `${spec.symbol} test token`,
      symbol: spec.symbol,
      uri: "",
      isMutable: spec.metadataMutable ?? false,
    });
  }
  for (const [i, holder] of holders.entries()) {
    const owner = owners[i] as Address;
    const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram: program });
    const account = getTokenEncoder().encode({
      mint,
      owner,
      amount: holder.amount * UNIT,
      delegate: none(),
      state: AccountState.Initialized,
      isNative: none(),
      delegatedAmount: 0n,
      closeAuthority: none(),
      extensions: none(),
    });
    write(chain, ata, program, new Uint8Array(account));
  }
  if (authority) {
    const pool = await createPool(chain, createChainSender(chain), {
      label: `${spec.symbol}/SOL`,
      authority,
      feeBps: 30,
      base: { mint, program },
      quote: { kind: "sol", lamports: (spec.poolSol ?? 500n) * 1_000_000_000n },
    });
    pools.add(pool);
  }
  return mint;
}

function write(chain: SandboxChain, address: Address, owner: Address, data: Uint8Array) {
  chain.setAccount({
    address,
    owner,
    data,
    lamports: chain.minimumBalanceForRentExemption(data.length),
  });
}
