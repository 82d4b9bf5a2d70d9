import { generateKeyPairSigner, getBase58Decoder, type KeyPairSigner } from "@solana/kit";
import {
  getAdvanceNonceAccountInstruction,
  getCreateAccountInstruction,
  getInitializeNonceAccountInstruction,
  getTransferSolInstruction,
  SYSTEM_PROGRAM_ADDRESS,
} from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createLander } from "./land-helpers.js";
import { rawRpc } from "./rpc-helpers.js";

const NONCE_ACCOUNT_SIZE = 80n;

let sandbox: RunningSandbox;
let payer: KeyPairSigner;
let nonceAccount: KeyPairSigner;
let lander: ReturnType<typeof createLander>;

const storedNonce = async () => {
  const data = await lander.accountData(nonceAccount.address);
  if (!data) throw new Error("no nonce account");
  return getBase58Decoder().decode(data.subarray(40, 72));
};

const sendRaw = (wire: string) =>
  rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
    wire,
    { encoding: "base64", preflightCommitment: "processed" },
  ]);

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  payer = await generateKeyPairSigner();
  nonceAccount = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 100_000_000_000n);
  lander = createLander(sandbox, payer);
});

afterAll(async () => {
  await sandbox.close();
});

describe("durable nonces", () => {
  it("advances once per slot and lands a transaction on its nonce, however old", async () => {
    const rent = sandbox.chain.minimumBalanceForRentExemption(Number(NONCE_ACCOUNT_SIZE));
    // Land (and advance one slot) so the nonce is initialized in slot S and S+1 begins.
    const create = getCreateAccountInstruction({
      payer,
      newAccount: nonceAccount,
      lamports: rent,
      space: NONCE_ACCOUNT_SIZE,
      programAddress: SYSTEM_PROGRAM_ADDRESS,
    });
    const initialize = getInitializeNonceAccountInstruction({
      nonceAccount: nonceAccount.address,
      nonceAuthority: payer.address,
    });
    const { wire: createWire } = await lander.build([create, initialize]);
    expect((await sendRaw(createWire)).body.error).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    // In the slot it was initialized in, the nonce cannot advance.
    const advance = getAdvanceNonceAccountInstruction({
      nonceAccount: nonceAccount.address,
      nonceAuthority: payer,
    });
    const sameSlot = await sendRaw((await lander.build([advance])).wire);
    expect(sameSlot.body.error.code).toBe(-32002);
    expect(sameSlot.body.error.data.logs).toContain(
      "Advance nonce account: nonce can only advance once per slot",
    );
    sandbox.chain.advance(1);
    const first = await storedNonce();

    await lander.land([advance]);
    const second = await storedNonce();
    expect(second).not.toBe(first);

    // 200 slots later no blockhash from then is valid; the nonce still is.
    sandbox.chain.advance(200);
    const recipient = await generateKeyPairSigner();
    const durableNonce = {
      nonce: second,
      nonceAccountAddress: nonceAccount.address,
      nonceAuthorityAddress: payer.address,
    };
    const transfer = getTransferSolInstruction({
      source: payer,
      destination: recipient.address,
      amount: 2_000_000n,
    });
    const record = await lander.land([transfer], { durableNonce });
    expect(record.transaction.recentBlockhash).toBe(second);
    const third = await storedNonce();
    expect(third).not.toBe(second);
    const { value } = await lander.rpc.getBalance(recipient.address).send();
    expect(value).toBe(2_000_000n);

    // A second transaction on the used nonce fails as on a validator.
    const again = getTransferSolInstruction({
      source: payer,
      destination: recipient.address,
      amount: 3_000_000n,
    });
    const reused = await sendRaw((await lander.build([again], { durableNonce })).wire);
    expect(reused.body.error.code).toBe(-32002);
    expect(reused.body.error.data.err).toBe("BlockhashNotFound");

    // A nonce stored in the current slot is not usable before the next, as agave checks.
    sandbox.chain.advance(1);
    expect((await sendRaw((await lander.build([advance])).wire)).body.error).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    const fourth = await storedNonce();
    expect(fourth).not.toBe(third);
    const onFourth = { ...durableNonce, nonce: fourth };
    const tooSoon = await sendRaw((await lander.build([again], { durableNonce: onFourth })).wire);
    expect(tooSoon.body.error.data.err).toBe("BlockhashNotFound");
    sandbox.chain.advance(1);
    await lander.land([again], { durableNonce: onFourth });
    expect((await lander.rpc.getBalance(recipient.address).send()).value).toBe(5_000_000n);

    // A nonce transaction that fails still uses up its nonce, as on a validator.
    const fifth = await storedNonce();
    const tooMuch = getTransferSolInstruction({
      source: payer,
      destination: recipient.address,
      amount: 10n ** 15n,
    });
    const onFifth = { ...durableNonce, nonce: fifth };
    const failing = await lander.build([tooMuch], { durableNonce: onFifth });
    await rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
      failing.wire,
      { encoding: "base64", skipPreflight: true },
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    sandbox.chain.advance(1);
    expect(sandbox.chain.getTransaction(failing.signature)?.meta.err).toEqual({
      InstructionError: [1, { Custom: 1 }],
    });
    expect(await storedNonce()).not.toBe(fifth);
    const retry = await sendRaw((await lander.build([again], { durableNonce: onFifth })).wire);
    expect(retry.body.error.data.err).toBe("BlockhashNotFound");
  });
});
