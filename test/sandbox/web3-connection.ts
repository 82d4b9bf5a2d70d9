import { type Commitment, Connection, type PublicKey } from "@solana/web3.js";
import type { RunningSandbox } from "../../src/sandbox/index.js";

/** A web3.js v1 Connection to the sandbox's first RPC endpoint, subscribing over its WebSocket. */
export function createWeb3Connection(
  sandbox: RunningSandbox,
  commitment: Commitment = "confirmed",
): Connection {
  return new Connection(sandbox.rpcUrls[0] as string, {
    commitment,
    wsEndpoint: sandbox.wsUrls[0] as string,
  });
}

/** Airdrops through the RPC (the faucet's real transfer) and waits until it is confirmed. */
export async function airdropConfirmed(
  connection: Connection,
  target: PublicKey,
  lamports: number,
): Promise<void> {
  const signature = await connection.requestAirdrop(target, lamports);
  const latest = await connection.getLatestBlockhash();
  await connection.confirmTransaction({ signature, ...latest }, "confirmed");
}
