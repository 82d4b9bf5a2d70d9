import { type Address, type Instruction, type KeyPairSigner, none, some } from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import * as spl from "@solana-program/token";
import * as t22 from "@solana-program/token-2022";
import { addressToBytes } from "../encoding/base58.js";
import type { SandboxChain } from "../index.js";
import type { ChainSender } from "./chain-sender.js";
import { writeMetaplexMetadata } from "./metaplex-metadata.js";
import { findProgramAddress } from "./program-address.js";

export type TokenProgramName = "spl-token" | "token-2022";

export interface TokenSpec {
  symbol: string;
  name: string;
  decimals: number;
  program: TokenProgramName;
  mint: KeyPairSigner;
  /** Pays for set-up; also the Metaplex update authority. */
  creator: KeyPairSigner;
  mintAuthority: KeyPairSigner;
  freezeAuthority: KeyPairSigner | null;
  /** Token-2022 mint extensions other than metadata (fee, delegate, hook…). */
  extensions?: t22.ExtensionArgs[];
  /** Where name/symbol live: a Metaplex account, or Token-2022's own metadata extension. */
  metadata: "metaplex" | "token-2022";
  metadataMutable: boolean;
  revokeMintAuthority: boolean;
  revokeFreezeAuthority: boolean;
}

export interface TokenHolder {
  owner: Address;
  amount: bigint;
}

export interface CreatedToken {
  mint: Address;
  program: Address;
}

export function programAddressOf(program: TokenProgramName): Address {
  return program === "spl-token" ? spl.TOKEN_PROGRAM_ADDRESS : t22.TOKEN_2022_PROGRAM_ADDRESS;
}

/** Bounded, since a long-running sandbox sees an unbounded stream of fresh wallets. */
const MAX_REMEMBERED_ATAS = 65_536;
const atas = new Map<string, Address>();

/**
 * Remembered: a derivation (SHA-256 and an off-curve check per bump tried) costs ~0.3 ms, and a
 * swap needs several.
 */
export async function getAssociatedTokenAddress(
  owner: Address,
  mint: Address,
  tokenProgram: Address,
): Promise<Address> {
  const key = `${owner}:${mint}:${tokenProgram}`;
  const known = atas.get(key);
  if (known) return known;
  const seeds = [owner, tokenProgram, mint].map((seed) => {
    const bytes = addressToBytes(seed);
    if (!bytes) throw new Error(`not an address: ${seed}`);
    return bytes;
  });
  const [ata] = findProgramAddress(t22.ASSOCIATED_TOKEN_PROGRAM_ADDRESS, seeds);
  if (atas.size >= MAX_REMEMBERED_ATAS) atas.clear();
  atas.set(key, ata);
  return ata;
}

/** Creates a mint for real (instructions through the token programs), mints to holders, revokes. */
export async function createToken(
  chain: SandboxChain,
  sender: ChainSender,
  spec: TokenSpec,
  holders: readonly TokenHolder[],
): Promise<CreatedToken> {
  const program = programAddressOf(spec.program);
  const mint = spec.mint.address;
  const config = { programAddress: program };
  const extensions = [...(spec.extensions ?? [])];
  const metadataExtensions: t22.ExtensionArgs[] = [];
  if (spec.metadata === "token-2022") {
    extensions.push({
      __kind: "MetadataPointer",
      authority: some(spec.creator.address),
      metadataAddress: some(mint),
    });
    metadataExtensions.push({
      __kind: "TokenMetadata",
      updateAuthority: some(spec.creator.address),
      mint,
      name: spec.name,
      symbol: spec.symbol,
      uri: `https://osprey.invalid/sandbox/${spec.symbol.toLowerCase()}.json`,
      additionalMetadata: new Map(),
    });
  }
  const space = spec.program === "spl-token" ? spl.getMintSize() : t22.getMintSize(extensions);
  const fullSize =
    spec.program === "spl-token" ? space : t22.getMintSize([...extensions, ...metadataExtensions]);
  const freeze = spec.freezeAuthority?.address ?? null;
  const init =
    spec.program === "spl-token"
      ? spl.getInitializeMint2Instruction({
          mint,
          decimals: spec.decimals,
          mintAuthority: spec.mintAuthority.address,
          freezeAuthority: freeze,
        })
      : t22.getInitializeMint2Instruction({
          mint,
          decimals: spec.decimals,
          mintAuthority: spec.mintAuthority.address,
          freezeAuthority: freeze,
        });
  await sender.send(spec.creator, [
    getCreateAccountInstruction({
      payer: spec.creator,
      newAccount: spec.mint,
      lamports: chain.minimumBalanceForRentExemption(fullSize),
      space,
      programAddress: program,
    }),
    ...t22.getPreInitializeInstructionsForMintExtensions(mint, extensions),
    init,
    ...t22.getPostInitializeInstructionsForMintExtensions(
      mint,
      spec.mintAuthority,
      metadataExtensions,
    ),
  ]);
  if (spec.metadata === "metaplex") {
    await writeMetaplexMetadata(chain, {
      mint,
      updateAuthority: spec.creator.address,
      name: spec.name,
      symbol: spec.symbol,
      uri: `https://osprey.invalid/sandbox/${spec.symbol.toLowerCase()}.json`,
      isMutable: spec.metadataMutable,
    });
  }
  const defaultFrozen = extensions.some((e) => e.__kind === "DefaultAccountState");
  for (const holder of holders) {
    const ata = await getAssociatedTokenAddress(holder.owner, mint, program);
    const steps: Instruction[] = [
      t22.getCreateAssociatedTokenIdempotentInstruction({
        payer: spec.creator,
        ata,
        owner: holder.owner,
        mint,
        tokenProgram: program,
      }),
    ];
    if (defaultFrozen && spec.freezeAuthority) {
      steps.push(
        t22.getThawAccountInstruction({ account: ata, mint, owner: spec.freezeAuthority }, config),
      );
    }
    steps.push(
      t22.getMintToInstruction(
        { mint, token: ata, mintAuthority: spec.mintAuthority, amount: holder.amount },
        config,
      ),
    );
    await sender.send(spec.creator, steps);
  }
  const revoke = revocations(spec, config);
  if (revoke.length > 0) await sender.send(spec.creator, revoke);
  return { mint, program };
}

function revocations(spec: TokenSpec, config: { programAddress: Address }): Instruction[] {
  const mint = spec.mint.address;
  const steps: Instruction[] = [];
  if (spec.revokeMintAuthority) {
    steps.push(
      t22.getSetAuthorityInstruction(
        {
          owned: mint,
          owner: spec.mintAuthority,
          authorityType: t22.AuthorityType.MintTokens,
          newAuthority: null,
        },
        config,
      ),
    );
  }
  if (spec.revokeFreezeAuthority && spec.freezeAuthority) {
    steps.push(
      t22.getSetAuthorityInstruction(
        {
          owned: mint,
          owner: spec.freezeAuthority,
          authorityType: t22.AuthorityType.FreezeAccount,
          newAuthority: null,
        },
        config,
      ),
    );
  }
  if (spec.metadata === "token-2022" && !spec.metadataMutable) {
    steps.push(
      t22.getUpdateTokenMetadataUpdateAuthorityInstruction({
        metadata: mint,
        updateAuthority: spec.creator,
        newUpdateAuthority: none(),
      }),
    );
  }
  return steps;
}
