import {
  type Address,
  type AddressesByLookupTableAddress,
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  compressTransactionMessageUsingAddressLookupTables,
  createSolanaRpc,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  type Instruction,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  setTransactionMessageLifetimeUsingDurableNonce,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import type { RunningSandbox } from "../../src/sandbox/index.js";

export interface DurableNonceLifetime {
  nonce: string;
  nonceAccountAddress: Address;
  nonceAuthorityAddress: Address;
}

export interface BuildOptions {
  tables?: AddressesByLookupTableAddress;
  /** Use a durable nonce instead of the latest blockhash (prepends AdvanceNonceAccount). */
  durableNonce?: DurableNonceLifetime;
}

/**
 * Kit clients for a manual-clock sandbox: build v0 transactions (optionally through lookup
 * tables or on a durable nonce), send them over RPC, and land them by advancing one slot.
 */
export function createLander(sandbox: RunningSandbox, payer: KeyPairSigner) {
  const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
  const build = async (instructions: Instruction[], options: BuildOptions = {}) => {
    const { value: latest } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
    const base = pipe(createTransactionMessage({ version: 0 }), (m) =>
      setTransactionMessageFeePayerSigner(payer, m),
    );
    const timed = options.durableNonce
      ? setTransactionMessageLifetimeUsingDurableNonce(
          {
            nonce: options.durableNonce.nonce as never,
            nonceAccountAddress: options.durableNonce.nonceAccountAddress,
            nonceAuthorityAddress: options.durableNonce.nonceAuthorityAddress,
          },
          base,
        )
      : setTransactionMessageLifetimeUsingBlockhash(
          {
            blockhash: asBlockhash(latest.blockhash),
            lastValidBlockHeight: latest.lastValidBlockHeight,
          },
          base,
        );
    const withInstructions = appendTransactionMessageInstructions(instructions, timed);
    const message = options.tables
      ? compressTransactionMessageUsingAddressLookupTables(withInstructions, options.tables)
      : withInstructions;
    const signed = await signTransactionMessageWithSigners(message as typeof withInstructions);
    return {
      wire: getBase64EncodedWireTransaction(signed) as string,
      signature: getSignatureFromTransaction(signed) as string,
    };
  };
  /** Sends with preflight at processed; resolves with the signature or the RPC error. */
  const send = async (wire: string) => {
    try {
      const signature = await rpc
        .sendTransaction(wire as never, { encoding: "base64", preflightCommitment: "processed" })
        .send();
      return { signature: signature as string, error: null };
    } catch (error) {
      return { signature: null, error: error as Error & { context?: unknown } };
    }
  };
  /** Builds, sends and lands (one slot later): throws with the RPC error if refused. */
  const land = async (instructions: Instruction[], options: BuildOptions = {}) => {
    const { wire } = await build(instructions, options);
    const sent = await send(wire);
    if (sent.error) throw sent.error;
    await new Promise((resolve) => setImmediate(resolve));
    sandbox.chain.advance(1);
    const record = sandbox.chain.getTransaction(sent.signature as string);
    if (!record) throw new Error(`transaction ${sent.signature} did not land`);
    if (record.meta.err !== null) throw new Error(`landed with ${JSON.stringify(record.meta.err)}`);
    return record;
  };
  const accountData = async (address: Address) => {
    const { value } = await rpc
      .getAccountInfo(address, { encoding: "base64", commitment: "processed" })
      .send();
    return value ? Buffer.from(value.data[0], "base64") : null;
  };
  return { rpc, build, send, land, accountData };
}
