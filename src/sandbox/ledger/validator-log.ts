import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { FEATURE_SET, getShredVersion } from "../rpc/methods/cluster-nodes.js";
import { API_VERSION } from "../rpc/rpc-context.js";

export interface ValidatorLogFields {
  readonly chain: SandboxChain;
  readonly host: string;
  /** The first endpoint's RPC port (the one a test validator binds). */
  readonly rpcPort: number;
}

/**
 * The start of a test validator's `validator.log`: the lines tools read back (version and
 * feature set, genesis hash, identity, gossip and RPC addresses, shred version), with the values
 * getVersion, getGenesisHash, getIdentity and getClusterNodes answer.
 */
export function getValidatorLogLines(fields: ValidatorLogFields, now = new Date()): string[] {
  const { chain, host } = fields;
  const featureSet = FEATURE_SET.toString(16).padStart(8, "0");
  const prefix = (target: string) => `[${now.toISOString()} INFO  ${target}]`;
  return [
    `${prefix("agave_validator")} agave-validator ${API_VERSION} (src:00000000; feat:${featureSet}, client:Agave)`,
    `${prefix("agave_validator")} Starting validator with: osprey sandbox (LiteSVM)`,
    `${prefix("solana_core::validator")} identity pubkey: ${chain.validator.identity}`,
    `${prefix("solana_core::validator")} vote account pubkey: ${chain.validator.voteAccount}`,
    `${prefix("solana_core::validator")} genesis hash: ${chain.genesisHash}`,
    `${prefix("solana_core::validator")} shred_version: ${getShredVersion(chain.genesisHash)}`,
    // The sandbox has no gossip socket: getClusterNodes advertises port 0 on its host too.
    `${prefix("solana_gossip::gossip_service")} local gossip address: ${host}:0`,
    `${prefix("solana_rpc::rpc_service")} rpc bound to ${host}:${fields.rpcPort}`,
    `${prefix("solana_faucet::faucet")} Faucet address: ${chain.faucetAddress}`,
  ];
}

/** Writes (replaces) `<directory>/validator.log`: one start's lines, as a fresh log holds. */
export async function writeValidatorLog(
  directory: string,
  fields: ValidatorLogFields,
): Promise<string> {
  const path = join(directory, "validator.log");
  await writeFile(path, `${getValidatorLogLines(fields).join("\n")}\n`);
  return path;
}
