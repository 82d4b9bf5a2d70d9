import {
  type Address,
  appendTransactionMessageInstructions,
  blockhash,
  createTransactionMessage,
  type Instruction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type TransactionSigner,
} from "@solana/kit";
import type { SandboxChain } from "../index.js";

/** Lands market set-up and bot transactions directly on the in-process chain, signed for real. */
export interface ChainSender {
  send(payer: TransactionSigner, instructions: readonly Instruction[]): Promise<string>;
}

export function createChainSender(chain: SandboxChain): ChainSender {
  return {
    async send(payer, instructions) {
      const block = chain.getBlock(chain.getSlot("processed"));
      const message = pipe(
        createTransactionMessage({ version: 0 }),
        (m) => setTransactionMessageFeePayerSigner(payer, m),
        (m) =>
          setTransactionMessageLifetimeUsingBlockhash(
            {
              blockhash: blockhash(block.blockhash),
              lastValidBlockHeight: block.blockHeight + 150n,
            },
            m,
          ),
        (m) => appendTransactionMessageInstructions(instructions, m),
      );
      const signed = await signTransactionMessageWithSigners(message);
      const result = chain.sendTransaction(signed);
      if (result.err !== null) {
        const logs = result.landed ? result.record.meta.logMessages.join("\n") : "";
        throw new Error(`market transaction failed: ${JSON.stringify(result.err)}\n${logs}`);
      }
      return result.signature;
    },
  };
}

export type { Address };
