import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  blockhash,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getTransactionEncoder,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from "@solana/kit";
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from "@solana-program/compute-budget";
import { getTransferSolInstruction } from "@solana-program/system";
import * as t22 from "@solana-program/token-2022";
import { describe, expect, it } from "vitest";
import { createSeededRandom } from "../../src/sandbox/index.js";
import {
  getMessageBytes,
  getPartiallySignedWire,
  getWireBytes,
  type LookupTableIndex,
  type SwapMessage,
} from "../../src/sandbox/swap-api/wire-transaction.js";

const TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address;

async function swapLikeMessage(authority: KeyPairSigner, user: Address) {
  const noopUser = createNoopSigner(user);
  const [mint, vault, ata, extra] = await Promise.all(
    Array.from({ length: 4 }, async () => (await generateKeyPairSigner()).address),
  );
  const instructions: Instruction[] = [
    getSetComputeUnitLimitInstruction({ units: 123_456 }),
    getSetComputeUnitPriceInstruction({ microLamports: 77n }),
    t22.getCreateAssociatedTokenIdempotentInstruction({
      payer: noopUser,
      ata: ata as Address,
      owner: user,
      mint: mint as Address,
      tokenProgram: TOKEN,
    }),
    getTransferSolInstruction({ source: noopUser, destination: authority.address, amount: 5n }),
    t22.getTransferCheckedInstruction(
      {
        source: vault as Address,
        mint: mint as Address,
        destination: ata as Address,
        authority,
        amount: 42n,
        decimals: 6,
      },
      { programAddress: TOKEN },
    ),
    // Long data and a read-only extra account: multi-byte lengths and the last header count.
    {
      programAddress: TOKEN,
      accounts: [{ address: extra as Address, role: AccountRole.READONLY }],
      data: new Uint8Array(300).fill(7),
    },
    { programAddress: "ComputeBudget111111111111111111111111111111" as Address },
  ];
  return parts(user, instructions);
}

const BLOCKHASH = "4sGjMW1sUnHzSxGspuhpqLDx6wiyjNtZAMdL4VZHirAn";

function parts(feePayer: Address, instructions: Instruction[]): SwapMessage {
  return { feePayer, blockhash: BLOCKHASH, lastValidBlockHeight: 10n, instructions };
}

function kitMessage(message: SwapMessage) {
  return pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(message.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: blockhash(message.blockhash), lastValidBlockHeight: 10n },
        m,
      ),
    (m) => appendTransactionMessageInstructions(message.instructions, m),
    (m) =>
      message.lookupTable
        ? compressTransactionMessageUsingAddressLookupTables(m, {
            [message.lookupTable.address]: [...message.lookupTable.addresses],
          })
        : m,
  );
}

function lookupTable(address: Address, addresses: readonly Address[]): LookupTableIndex {
  return { address, addresses, indexOf: new Map(addresses.map((a, i) => [a, i])) };
}

/** One to five instructions of random accounts and roles from `pool`; its first three are programs. */
function randomInstructions(
  pool: readonly Address[],
  random: () => number,
  round: number,
): Instruction[] {
  const pick = () => pool[Math.floor(random() * pool.length)] as Address;
  return Array.from({ length: 1 + (round % 5) }, () => ({
    programAddress: pool[round % 3] as Address,
    accounts: Array.from({ length: Math.floor(random() * 6) }, () => ({
      address: pick(),
      role: [AccountRole.READONLY, AccountRole.WRITABLE, AccountRole.READONLY_SIGNER][
        Math.floor(random() * 3)
      ] as AccountRole,
    })),
    data: new Uint8Array([round]),
  }));
}

/** 24 fresh addresses: the property tests' programs, accounts and table entries. */
function createAddressPool(): Promise<Address[]> {
  return Promise.all(
    Array.from({ length: 24 }, async () => (await generateKeyPairSigner()).address),
  );
}

/**
 * Expects the sandbox's wire bytes to be kit's, or a refusal where kit refuses (a program written
 * to: the sandbox leaves that case to kit too); the message bytes, or null when refused.
 */
function expectKitWireBytes(message: SwapMessage): Uint8Array | null {
  let expected: Uint8Array;
  try {
    expected = Uint8Array.from(
      getTransactionEncoder().encode(compileTransaction(kitMessage(message))),
    );
  } catch {
    expect(() => getMessageBytes(message)).toThrow();
    return null;
  }
  const { messageBytes, signerAddresses } = getMessageBytes(message);
  expect(getWireBytes(messageBytes, signerAddresses)).toEqual(expected);
  return messageBytes;
}

describe("swap transaction bytes", () => {
  it("match kit's compiled and partially signed wire bytes exactly", async () => {
    const authority = await generateKeyPairSigner();
    const user = (await generateKeyPairSigner()).address;
    const message = await swapLikeMessage(authority, user);
    const encoder = getTransactionEncoder();

    const { messageBytes, signerAddresses } = getMessageBytes(message);
    const unsigned = compileTransaction(kitMessage(message));
    expect(signerAddresses).toEqual(Object.keys(unsigned.signatures));
    expect(getWireBytes(messageBytes, signerAddresses)).toEqual(
      Uint8Array.from(encoder.encode(unsigned)),
    );

    // Ed25519 signatures are deterministic, so the signed bytes must be identical too.
    const signed = await partiallySignTransactionMessageWithSigners(kitMessage(message));
    expect(await getPartiallySignedWire(message)).toEqual(Uint8Array.from(encoder.encode(signed)));
  });

  it("order accounts as kit does, whatever the mix of roles", async () => {
    const random = createSeededRandom(11);
    const pool = await createAddressPool();
    const pick = () => pool[Math.floor(random() * pool.length)] as Address;
    for (let round = 0; round < 200; round++) {
      const feePayer = pick();
      const instructions = randomInstructions(pool, random, round);
      expectKitWireBytes(parts(feePayer, instructions));
    }
  });

  it("load from a lookup table exactly what kit's compression loads, in kit's order", async () => {
    const random = createSeededRandom(12);
    const pool = await createAddressPool();
    const pick = () => pool[Math.floor(random() * pool.length)] as Address;
    let loadedAny = 0;
    for (let round = 0; round < 200; round++) {
      // Programs, signers and the fee payer may be in the table too: they must stay static.
      const table = lookupTable(
        pool[23] as Address,
        pool.filter(() => random() < 0.6),
      );
      const instructions = randomInstructions(pool, random, round);
      const messageBytes = expectKitWireBytes({
        ...parts(pick(), instructions),
        lookupTable: table,
      });
      if (messageBytes && messageBytes.at(-1) !== 0) loadedAny += 1;
    }
    expect(loadedAny).toBeGreaterThan(50);
  });

  it("sign a swap that loads its vault and mint from a table as kit would", async () => {
    const authority = await generateKeyPairSigner();
    const user = (await generateKeyPairSigner()).address;
    const message = await swapLikeMessage(authority, user);
    const transfer = message.instructions[4] as Instruction;
    const [vault, mint] = (transfer.accounts ?? []).map((a) => a.address);
    const table = lookupTable((await generateKeyPairSigner()).address, [
      TOKEN,
      mint as Address,
      authority.address,
      vault as Address,
    ]);
    const withTable = { ...message, lookupTable: table };
    const signed = await partiallySignTransactionMessageWithSigners(kitMessage(withTable));
    const wire = await getPartiallySignedWire(withTable);
    expect(wire).toEqual(Uint8Array.from(getTransactionEncoder().encode(signed)));
    expect(wire.length).toBe((await getPartiallySignedWire(message)).length - 2 * 32 + 32 + 4);
  });
});
