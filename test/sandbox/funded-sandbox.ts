import { generateKeyPairSigner, type KeyPairSigner } from "@solana/kit";
import {
  type RunningSandbox,
  type StartSandboxOptions,
  startSandbox,
} from "../../src/sandbox/index.js";

export interface FundedSandbox {
  sandbox: RunningSandbox;
  /** The first RPC endpoint. */
  url: string;
  payer: KeyPairSigner;
}

/** A listening sandbox on a free port with a fresh payer funded straight into the ledger. */
export async function startFundedSandbox(
  options: Omit<StartSandboxOptions, "port">,
  lamports = 10_000_000_000n,
): Promise<FundedSandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const payer = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, lamports);
  return { sandbox, url: sandbox.rpcUrls[0] as string, payer };
}
