import {
  AccountRole,
  appendTransactionMessageInstructions,
  blockhash as asBlockhash,
  type Base64EncodedWireTransaction,
  createSolanaRpc,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  isSolanaError,
  type KeyPairSigner,
  pipe,
  SOLANA_ERROR__INSTRUCTION_ERROR__INVALID_INSTRUCTION_DATA,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED,
  SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
  SOLANA_ERROR__TRANSACTION_ERROR__SIGNATURE_FAILURE,
  type SolanaErrorCode,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
} from "@solana/kit";
import {
  Connection,
  Keypair,
  PublicKey,
  SendTransactionError,
  SystemProgram,
  Transaction,
  TransactionInstruction,
} from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningSandbox } from "../../src/sandbox/index.js";
import { startFundedSandbox } from "./funded-sandbox.js";
import { postJson, rawRpc, signTransfer } from "./rpc-helpers.js";

const SYSTEM_PROGRAM = "11111111111111111111111111111111";
let sandbox: RunningSandbox;
let url: string;
let payer: KeyPairSigner;

beforeAll(async () => {
  ({ sandbox, url, payer } = await startFundedSandbox({ manualClock: true }));
});

afterAll(async () => {
  await sandbox.close();
});

const latestBlockhash = () => sandbox.chain.getBlock(sandbox.chain.getSlot("processed")).blockhash;

/** Sends `wire` through kit's RPC and expects its preflight-failure error, caused by `cause`. */
async function expectKitPreflightFailure(wire: string, cause: SolanaErrorCode) {
  const sent = createSolanaRpc(url)
    .sendTransaction(wire as Base64EncodedWireTransaction, {
      encoding: "base64",
      preflightCommitment: "processed",
    })
    .send();
  await expect(sent).rejects.toSatisfy(
    (error: unknown) =>
      isSolanaError(
        error,
        SOLANA_ERROR__JSON_RPC__SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE,
      ) && isSolanaError(error.cause, cause),
  );
}

/** A System instruction with an unknown discriminant: the program answers InvalidInstructionData. */
async function signBadInstruction(): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: asBlockhash(latestBlockhash()), lastValidBlockHeight: 0n },
        m,
      ),
    (m) =>
      appendTransactionMessageInstructions(
        [
          {
            programAddress: SYSTEM_PROGRAM as never,
            accounts: [{ address: payer.address, role: AccountRole.WRITABLE_SIGNER }],
            data: new Uint8Array([255, 0, 0, 0]),
          },
        ],
        m,
      ),
  );
  return getBase64EncodedWireTransaction(await signTransactionMessageWithSigners(message));
}

async function forgedTransfer(): Promise<string> {
  const { wire } = await signTransfer(payer, sandbox.chain.faucetAddress, 1n, latestBlockhash());
  const bytes = Buffer.from(wire, "base64");
  bytes[10] = (bytes[10] ?? 0) ^ 0xff;
  return bytes.toString("base64");
}

async function expectError(method: string, params: unknown[], error: Record<string, unknown>) {
  const response = await rawRpc(url, method, params);
  expect(response.body.error, `${method} ${JSON.stringify(params)}`).toEqual(error);
}

describe("JSON-RPC errors worded as agave 2.x words them", () => {
  it("refuses malformed public keys and signatures with 'Invalid param: …'", async () => {
    const invalid = { code: -32602, message: "Invalid param: Invalid" };
    const wrongSize = { code: -32602, message: "Invalid param: WrongSize" };
    await expectError("getBalance", ["not-an-address"], invalid);
    await expectError("getBalance", ["1".repeat(45)], wrongSize);
    await expectError("getAccountInfo", ["abc"], wrongSize);
    await expectError("getSignatureStatuses", [["bad"]], wrongSize);
    await expectError("getSignatureStatuses", [["0OIl"]], invalid);
    await expectError("getTransaction", ["x".repeat(89)], wrongSize);
    await expectError("getSignaturesForAddress", [payer.address, { before: "!!" }], invalid);
    // A well-formed but unknown signature is still a null status, not an error.
    const unknown = "1".repeat(64);
    expect((await rawRpc(url, "getSignatureStatuses", [[unknown]])).body.result.value).toEqual([
      null,
    ]);
  });

  it("refuses a malformed blockhash as agave's verify_hash does", async () => {
    await expectError("isBlockhashValid", ["not-a-hash!"], {
      code: -32602,
      message: "Invalid param: Invalid",
    });
  });

  it("words param types and counts as serde and jsonrpc-derive do", async () => {
    await expectError("getBalance", [], {
      code: -32602,
      message: "`params` should have at least 1 argument(s)",
    });
    await expectError("getBalance", [payer.address, {}, 3], {
      code: -32602,
      message: "Invalid parameters: Expected from 1 to 2 parameters.",
      data: '"Got: 3"',
    });
    await expectError("getBalance", [123], {
      code: -32602,
      message: "Invalid params: invalid type: integer `123`, expected a string.",
    });
    await expectError("getAccountInfo", [payer.address, { encoding: "hex" }], {
      code: -32602,
      message:
        "Invalid params: unknown variant `hex`, expected one of `binary`, `base58`, `base64`, `jsonParsed`, `base64+zstd`.",
    });
    await expectError("getBalance", [payer.address, { minContextSlot: -1 }], {
      code: -32602,
      message: "Invalid params: invalid value: integer `-1`, expected u64.",
    });
    await expectError("getSlot", [{ commitment: "eventually" }], {
      code: -32602,
      message:
        "Invalid params: unknown variant `eventually`, expected one of `processed`, `confirmed`, `finalized`.",
    });
    await expectError("sendTransaction", ["AQ==", { encoding: "json" }], {
      code: -32602,
      message: "unsupported encoding: json. Supported encodings: base58, base64",
    });
    await expectError("getMultipleAccounts", [Array(101).fill(payer.address)], {
      code: -32602,
      message: "Too many inputs provided; max 100",
    });
    await expectError("getSignatureStatuses", [Array(257).fill("1".repeat(64))], {
      code: -32602,
      message: "Too many inputs provided; max 256",
    });
    await expectError("getFeeForMessage", ["!!!!"], {
      code: -32602,
      message: "invalid base64 encoding: InvalidByte(0, 33)",
    });
    await expectError("getFeeForMessage", ["AQID"], {
      code: -32602,
      message:
        "failed to deserialize solana_message::versioned::VersionedMessage: io error: unexpected end of file",
    });
    const object = await postJson(url, { jsonrpc: "2.0", id: 1, method: "getSlot", params: {} });
    expect(object.body.error).toEqual({ code: -32602, message: "`params` should be an array" });
  });

  it("answers a read below minContextSlot with -32016, also for u64::MAX, in every reading method", async () => {
    const max = "9223372036854775807";
    const calls: [string, string][] = [
      ["getBalance", `"${payer.address}", {"minContextSlot": ${max}}`],
      ["getAccountInfo", `"${payer.address}", {"minContextSlot": ${max}}`],
      ["getSlot", `{"minContextSlot": ${max}}`],
      ["getLatestBlockhash", `{"minContextSlot": ${max}}`],
      [
        "simulateTransaction",
        `"${await signBadInstruction()}", {"encoding": "base64", "minContextSlot": ${max}}`,
      ],
      [
        "sendTransaction",
        `"${await signBadInstruction()}", {"encoding": "base64", "minContextSlot": ${max}}`,
      ],
    ];
    for (const [method, params] of calls) {
      const body = `{"jsonrpc":"2.0","id":1,"method":"${method}","params":[${params}]}`;
      const { error } = (await postJson(url, body)).body;
      expect(error, method).toMatchObject({
        code: -32016,
        message: "Minimum context slot has not been reached",
      });
      expect(typeof error.data.contextSlot, method).toBe("number");
    }
    const rpc = createSolanaRpc(url);
    const minContextSlot = BigInt(Number.MAX_SAFE_INTEGER);
    const read = rpc.getBalance(payer.address, { minContextSlot }).send();
    await expect(read).rejects.toSatisfy((error: unknown) =>
      isSolanaError(error, SOLANA_ERROR__JSON_RPC__SERVER_ERROR_MIN_CONTEXT_SLOT_NOT_REACHED),
    );
  });

  it("fails the preflight of a forged signature with -32002 SignatureFailure (raw and kit)", async () => {
    const forged = await forgedTransfer();
    const raw = await rawRpc(url, "sendTransaction", [
      forged,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(raw.body.error).toEqual({
      code: -32002,
      message: "Transaction simulation failed: Transaction did not pass signature verification",
      data: {
        err: "SignatureFailure",
        logs: [],
        accounts: null,
        unitsConsumed: 0,
        loadedAccountsDataSize: 0,
        returnData: null,
        innerInstructions: null,
        replacementBlockhash: null,
        fee: null,
        preBalances: null,
        postBalances: null,
        preTokenBalances: null,
        postTokenBalances: null,
        loadedAddresses: null,
      },
    });
    await expectKitPreflightFailure(forged, SOLANA_ERROR__TRANSACTION_ERROR__SIGNATURE_FAILURE);
  });

  it("returns a failed signature check as simulateTransaction's result", async () => {
    const rpc = createSolanaRpc(url);
    const { value } = await rpc
      .simulateTransaction((await forgedTransfer()) as Base64EncodedWireTransaction, {
        encoding: "base64",
        sigVerify: true,
        commitment: "processed",
      })
      .send();
    expect(value.err).toBe("SignatureFailure");
    expect(value.logs).toEqual([]);
    expect(value.unitsConsumed).toBe(0n);
  });

  it("words instruction errors in preflight as the validator does and keeps err structured", async () => {
    const wire = await signBadInstruction();
    const raw = await rawRpc(url, "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(raw.body.error.code).toBe(-32002);
    expect(raw.body.error.message).toBe(
      "Transaction simulation failed: Error processing Instruction 0: invalid instruction data",
    );
    expect(raw.body.error.data).toMatchObject({
      err: { InstructionError: [0, "InvalidInstructionData"] },
      fee: 5000,
      accounts: null,
      returnData: null,
      preBalances: null,
      loadedAddresses: null,
    });
    expect(raw.body.error.data.logs).toContain(
      `Program ${SYSTEM_PROGRAM} failed: invalid instruction data`,
    );
    await expectKitPreflightFailure(
      wire,
      SOLANA_ERROR__INSTRUCTION_ERROR__INVALID_INSTRUCTION_DATA,
    );
  });

  it("gives web3.js v1 a SendTransactionError with the validator's message and the logs", async () => {
    const connection = new Connection(url, "processed");
    const signer = Keypair.generate();
    sandbox.chain.airdrop(signer.publicKey.toBase58() as never, 1_000_000_000n);
    const tx = new Transaction().add(
      new TransactionInstruction({
        programId: SystemProgram.programId,
        keys: [{ pubkey: signer.publicKey, isSigner: true, isWritable: true }],
        data: Buffer.from([255, 0, 0, 0]),
      }),
    );
    tx.recentBlockhash = latestBlockhash();
    tx.feePayer = signer.publicKey;
    tx.sign(signer);
    const error = await connection
      .sendRawTransaction(tx.serialize(), { preflightCommitment: "processed" })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendTransactionError);
    const sendError = error as SendTransactionError;
    expect(sendError.transactionError.message).toBe(
      "Transaction simulation failed: Error processing Instruction 0: invalid instruction data",
    );
    expect(await sendError.getLogs(connection)).toContain(
      `Program ${SYSTEM_PROGRAM} failed: invalid instruction data`,
    );
    expect(new PublicKey(SYSTEM_PROGRAM).equals(SystemProgram.programId)).toBe(true);
  });
});
