import {
  appendTransactionMessageInstruction,
  type Blockhash,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";

const FAKE_BLOCKHASH = "4uQeVj5tqViQh7yWWGStvkEG1Zmhx6uasJtWCJziofM" as Blockhash;

/** `count` distinct signed transfers (wire base64) from one fresh payer. */
export async function makeSignedTransfers(
  count: number,
  blockhash = FAKE_BLOCKHASH,
): Promise<string[]> {
  const payer = await generateKeyPairSigner();
  const recipient = (await generateKeyPairSigner()).address;
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 0n }, m),
      (m) =>
        appendTransactionMessageInstruction(
          getTransferSolInstruction({
            source: payer,
            destination: recipient,
            amount: BigInt(i + 1),
          }),
          m,
        ),
    );
    out.push(getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message)));
  }
  return out;
}
