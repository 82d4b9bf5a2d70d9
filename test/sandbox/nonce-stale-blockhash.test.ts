import {
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  createSolanaRpc,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import {
  getAdvanceNonceAccountInstruction,
  getCreateAccountInstruction,
  getInitializeNonceAccountInstruction,
  SYSTEM_PROGRAM_ADDRESS,
} from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDurableNonce } from "../../src/sandbox/chain/durable-nonce.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc } from "./rpc-helpers.js";

const NONCE_ACCOUNT_SIZE = 80n;

let sandbox: RunningSandbox;
let payer: KeyPairSigner;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  payer = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 100_000_000_000n);
});

afterAll(async () => {
  await sandbox.close();
});

/** Signs `instructions` on a given (possibly old, still valid) recent blockhash. */
const wireOn = async (blockhash: string, instructions: Instruction[]) => {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(blockhash), lastValidBlockHeight: 0n },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
};

const send = (wire: string) =>
  rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
    wire,
    { encoding: "base64", preflightCommitment: "processed" },
  ]);

describe("a nonce advanced by a transaction on an older recent blockhash", () => {
  it("stores the durable nonce of the slot it executes in, not of the transaction's blockhash", async () => {
    const rpc = createSolanaRpc(sandbox.rpcUrls[0] as string);
    const nonceAccount = await generateKeyPairSigner();
    // web3.js reuses a blockhash for ~30 s: create and advance both on blockhash B.
    const { value: latest } = await rpc.getLatestBlockhash({ commitment: "processed" }).send();
    const create = getCreateAccountInstruction({
      payer,
      newAccount: nonceAccount,
      lamports: sandbox.chain.minimumBalanceForRentExemption(Number(NONCE_ACCOUNT_SIZE)),
      space: NONCE_ACCOUNT_SIZE,
      programAddress: SYSTEM_PROGRAM_ADDRESS,
    });
    const initialize = getInitializeNonceAccountInstruction({
      nonceAccount: nonceAccount.address,
      nonceAuthority: payer.address,
    });
    expect((await send(await wireOn(latest.blockhash, [create, initialize]))).body.error).toBe(
      undefined,
    );
    sandbox.chain.advance(5);
    const advance = getAdvanceNonceAccountInstruction({
      nonceAccount: nonceAccount.address,
      nonceAuthority: payer,
    });
    const response = await send(await wireOn(latest.blockhash, [advance]));
    expect(response.body.error).toBeUndefined();
    sandbox.chain.advance(1);
    const account = sandbox.chain.getAccount(nonceAccount.address);
    const stored = getBase58Decoder().decode((account?.data ?? new Uint8Array()).subarray(40, 72));
    const executedIn = sandbox.chain.getTransaction(response.body.result)?.slot ?? -1n;
    expect(stored).toBe(getDurableNonce(sandbox.chain.getBlock(executedIn).blockhash));
  });
});
