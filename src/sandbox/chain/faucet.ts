import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import {
  type Address,
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  getAddressDecoder,
  getTransactionEncoder,
  pipe,
  type SignatureBytes,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import { getSetComputeUnitLimitInstruction } from "@solana-program/compute-budget";
import { getTransferSolInstruction } from "@solana-program/system";

/**
 * The sandbox's faucet: a real keypair, so airdrops are ordinary signed transfers with history.
 * Like agave's faucet, an airdrop is one System transfer; the chain keeps repeated airdrops
 * apart by their recent blockhash, and only when every valid one is taken by a `uniqueness`
 * value (carried as a compute unit limit).
 */
export interface Faucet {
  readonly address: Address;
  buildTransfer(
    to: Address,
    lamports: bigint,
    recentBlockhash: string,
    uniqueness?: number,
  ): Uint8Array;
}

export function createFaucet(
  { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = generateKeyPairSync(
    "ed25519",
  ),
): Faucet {
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const address = getAddressDecoder().decode(raw);
  return {
    address,
    buildTransfer: (to, lamports, recent, uniqueness) =>
      build(address, privateKey, to, lamports, recent, uniqueness),
  };
}

function build(
  from: Address,
  key: KeyObject,
  to: Address,
  amount: bigint,
  recent: string,
  uniqueness: number | undefined,
) {
  const transfer = getTransferSolInstruction({
    source: createNoopSigner(from),
    destination: to,
    amount,
  });
  const message = pipe(
    createTransactionMessage({ version: "legacy" }),
    (m) => setTransactionMessageFeePayer(from, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(recent), lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        uniqueness === undefined
          ? [transfer]
          : [
              getSetComputeUnitLimitInstruction({ units: 10_000 + (uniqueness % 1_000_000) }),
              transfer,
            ],
        m,
      ),
  );
  const compiled = compileTransaction(message);
  const signature = sign(
    null,
    Uint8Array.from(compiled.messageBytes),
    key,
  ) as Uint8Array as SignatureBytes;
  return getTransactionEncoder().encode({
    ...compiled,
    signatures: { ...compiled.signatures, [from]: signature },
  }) as Uint8Array;
}
