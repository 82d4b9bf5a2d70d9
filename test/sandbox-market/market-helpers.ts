import { Configuration, type QuoteResponse, SwapApi, type SwapRequest } from "@jup-ag/api";
import {
  type Address,
  createSolanaRpc,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  getBase64Encoder,
  getTransactionDecoder,
  type KeyPairSigner,
  type Signature,
  signTransaction,
} from "@solana/kit";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import {
  type RunningSandboxMarket,
  startSandboxMarket,
} from "../../src/sandbox/market/start-sandbox-market.js";

export const SOL_MINT = "So11111111111111111111111111111111111111112" as Address;

/** A sandbox chain (fast slots) with the demo market and the official Jupiter client on it. */
export async function startMarketSandbox(
  options: { bots?: boolean; freezeDelaySlots?: number; dumpEverySlots?: number } = {},
) {
  // 50 ms slots: "confirmed" comes fast, and blockhashes stay valid 7.5 s on a loaded CI machine.
  const sandbox: RunningSandbox = await startSandbox({ port: 0, slotMs: 50 });
  const market: RunningSandboxMarket = await startSandboxMarket({
    chain: sandbox.chain,
    port: 0,
    ...options,
    onError: (error) => console.error("market error", error),
  });
  const jupiter = new SwapApi(new Configuration({ basePath: market.swapApiUrl }));
  const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
  return {
    sandbox,
    market,
    jupiter,
    rpc,
    chain: sandbox.chain,
    async fundedUser(lamports = 100_000_000_000n): Promise<KeyPairSigner> {
      const user = await generateKeyPairSigner();
      sandbox.chain.airdrop(user.address, lamports);
      return user;
    },
    /** Signs the API's partially signed transaction as the user and sends it over JSON-RPC. */
    async signAndSend(user: KeyPairSigner, swapTransaction: string): Promise<Signature> {
      const tx = getTransactionDecoder().decode(getBase64Encoder().encode(swapTransaction));
      const signed = await signTransaction([user.keyPair], tx);
      return rpc
        .sendTransaction(getBase64EncodedWireTransaction(signed), {
          encoding: "base64",
          preflightCommitment: "confirmed",
        })
        .send();
    },
    async confirm(signature: Signature) {
      for (let i = 0; i < 500; i++) {
        const { value } = await rpc.getSignatureStatuses([signature]).send();
        const status = value[0];
        if (status?.err) throw new Error(`transaction failed: ${JSON.stringify(status.err)}`);
        if (status && status.confirmationStatus !== "processed") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const tx = await rpc
        .getTransaction(signature, {
          commitment: "confirmed",
          maxSupportedTransactionVersion: 0,
          encoding: "json",
        })
        .send();
      if (!tx) throw new Error(`transaction ${signature} not found`);
      return tx;
    },
    /** Quote → swap → sign → send → confirm; returns the quote, the API's answer and the landed tx. */
    async swap(user: KeyPairSigner, quote: QuoteResponse, extra: Partial<SwapRequest> = {}) {
      const response = await jupiter.swapPost({
        swapRequest: { quoteResponse: quote, userPublicKey: user.address, ...extra },
      });
      const signature = await this.signAndSend(user, response.swapTransaction);
      return { response, signature, tx: await this.confirm(signature) };
    },
    async close() {
      await market.close();
      await sandbox.close();
    },
  };
}

export type MarketSandbox = Awaited<ReturnType<typeof startMarketSandbox>>;

type Landed = Awaited<ReturnType<MarketSandbox["confirm"]>>;

/** Change of `owner`'s balance of `mint` in a landed transaction (token balances, base units). */
export function tokenDelta(tx: Landed, owner: Address, mint: Address): bigint {
  const sum = (
    list:
      | readonly { owner?: string | undefined; mint: string; uiTokenAmount: { amount: string } }[]
      | undefined,
  ) =>
    (list ?? [])
      .filter((b) => b.owner === owner && b.mint === mint)
      .reduce((total, b) => total + BigInt(b.uiTokenAmount.amount), 0n);
  return sum(tx.meta?.postTokenBalances) - sum(tx.meta?.preTokenBalances);
}

/** Change of an account's lamports in a landed transaction. */
export function lamportDelta(tx: Landed, account: Address): bigint {
  const index = tx.transaction.message.accountKeys.indexOf(account);
  if (index < 0) return 0n;
  return BigInt(tx.meta?.postBalances[index] ?? 0n) - BigInt(tx.meta?.preBalances[index] ?? 0n);
}
