import { createHash } from "node:crypto";
import { type Address, getAddressEncoder, getProgramDerivedAddress } from "@solana/kit";
import type { SandboxChain } from "../index.js";
import { createNoopProgramElf } from "./noop-program.js";

const BPF_LOADER = "BPFLoader2111111111111111111111111111111111" as Address;

/** Deploys the always-succeeding program at `program` (an address the market chose). */
export function deployNoopProgram(chain: SandboxChain, program: Address): void {
  const elf = createNoopProgramElf();
  chain.setAccount({
    address: program,
    lamports: chain.minimumBalanceForRentExemption(elf.length),
    owner: BPF_LOADER,
    data: elf,
    executable: true,
  });
}

/**
 * The hook's ExtraAccountMetaList for `mint`, declaring no extra accounts: one TLV entry keyed by
 * the Execute instruction's discriminator, holding an empty list (length 4, count 0).
 */
export async function writeEmptyExtraAccountMetas(
  chain: SandboxChain,
  program: Address,
  mint: Address,
): Promise<Address> {
  const [address] = await getProgramDerivedAddress({
    programAddress: program,
    seeds: ["extra-account-metas", getAddressEncoder().encode(mint)],
  });
  const data = new Uint8Array(16);
  data.set(
    createHash("sha256").update("spl-transfer-hook-interface:execute").digest().subarray(0, 8),
  );
  new DataView(data.buffer).setUint32(8, 4, true);
  chain.setAccount({
    address,
    lamports: chain.minimumBalanceForRentExemption(data.length),
    owner: program,
    data,
  });
  return address;
}
