import { type Address, address, createNoopSigner } from "@solana/kit";
import {
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  type ParsedAccountData,
  PublicKey,
  SystemProgram,
  sendAndConfirmTransaction,
  Transaction,
  TransactionMessage,
  VersionedTransaction,
} from "@solana/web3.js";
import * as splToken from "@solana-program/token";
import * as token2022 from "@solana-program/token-2022";
import { getTransferCheckedInstruction as getTransferChecked2022 } from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { toWeb3Instruction } from "./to-web3-instruction.js";
import { airdropConfirmed, createWeb3Connection } from "./web3-connection.js";

const asAddress = (key: PublicKey): Address => address(key.toBase58());

let sandbox: RunningSandbox;
let connection: Connection;
const payer = Keypair.generate();

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  connection = createWeb3Connection(sandbox);
  await airdropConfirmed(connection, payer.publicKey, 10 * LAMPORTS_PER_SOL);
});

afterAll(async () => {
  await sandbox.close();
});

describe("sandbox with @solana/web3.js v1", () => {
  it("airdrops and transfers SOL (legacy and v0)", async () => {
    expect(await connection.getBalance(payer.publicKey)).toBe(10 * LAMPORTS_PER_SOL);
    const recipient = Keypair.generate();
    const tx = new Transaction().add(
      SystemProgram.transfer({
        fromPubkey: payer.publicKey,
        toPubkey: recipient.publicKey,
        lamports: LAMPORTS_PER_SOL,
      }),
    );
    const signature = await sendAndConfirmTransaction(connection, tx, [payer]);
    expect(await connection.getBalance(recipient.publicKey)).toBe(LAMPORTS_PER_SOL);
    const parsed = await connection.getParsedTransaction(signature, { commitment: "confirmed" });
    expect(parsed?.meta?.fee).toBe(5000);
    const ix = parsed?.transaction.message.instructions[0];
    expect(ix && "parsed" in ix ? ix.parsed : null).toMatchObject({
      type: "transfer",
      info: {
        source: payer.publicKey.toBase58(),
        destination: recipient.publicKey.toBase58(),
        lamports: LAMPORTS_PER_SOL,
      },
    });

    const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash();
    const message = new TransactionMessage({
      payerKey: payer.publicKey,
      recentBlockhash: blockhash,
      instructions: [
        SystemProgram.transfer({
          fromPubkey: payer.publicKey,
          toPubkey: recipient.publicKey,
          lamports: 1000,
        }),
      ],
    }).compileToV0Message();
    const v0 = new VersionedTransaction(message);
    v0.sign([payer]);
    const v0Signature = await connection.sendTransaction(v0);
    await connection.confirmTransaction(
      { signature: v0Signature, blockhash, lastValidBlockHeight },
      "confirmed",
    );
    const fetched = await connection.getTransaction(v0Signature, {
      commitment: "confirmed",
      maxSupportedTransactionVersion: 0,
    });
    expect(fetched?.version).toBe(0);
    expect(fetched?.meta?.postBalances[1]).toBe(LAMPORTS_PER_SOL + 1000);
  });

  for (const program of [
    {
      name: "SPL Token",
      lib: splToken,
      id: splToken.TOKEN_PROGRAM_ADDRESS,
      parsedProgram: "spl-token",
    },
    {
      name: "Token-2022",
      lib: token2022,
      id: token2022.TOKEN_2022_PROGRAM_ADDRESS,
      parsedProgram: "spl-token-2022",
    },
  ] as const) {
    it(`creates a ${program.name} mint and ATAs, transfers tokens and reads them parsed`, async () => {
      const mint = Keypair.generate();
      const holder = Keypair.generate();
      const payerSigner = createNoopSigner(asAddress(payer.publicKey));
      const mintAddress = asAddress(mint.publicKey);
      const space = 82;
      const rent = await connection.getMinimumBalanceForRentExemption(space);
      const createMint = new Transaction().add(
        SystemProgram.createAccount({
          fromPubkey: payer.publicKey,
          newAccountPubkey: mint.publicKey,
          lamports: rent,
          space,
          programId: new PublicKey(program.id),
        }),
        toWeb3Instruction(
          program.lib.getInitializeMint2Instruction({
            mint: mintAddress,
            decimals: 9,
            mintAuthority: payerSigner.address,
            freezeAuthority: payerSigner.address,
          }),
        ),
      );
      await sendAndConfirmTransaction(connection, createMint, [payer, mint]);

      const [payerAta] = await program.lib.findAssociatedTokenPda({
        owner: payerSigner.address,
        mint: mintAddress,
        tokenProgram: program.id,
      });
      const [holderAta] = await program.lib.findAssociatedTokenPda({
        owner: asAddress(holder.publicKey),
        mint: mintAddress,
        tokenProgram: program.id,
      });
      const setup = new Transaction().add(
        toWeb3Instruction(
          await program.lib.getCreateAssociatedTokenInstructionAsync({
            payer: payerSigner,
            owner: payerSigner.address,
            mint: mintAddress,
            tokenProgram: program.id,
          }),
        ),
        toWeb3Instruction(
          await program.lib.getCreateAssociatedTokenInstructionAsync({
            payer: payerSigner,
            owner: asAddress(holder.publicKey),
            mint: mintAddress,
            tokenProgram: program.id,
          }),
        ),
        toWeb3Instruction(
          program.lib.getMintToInstruction(
            {
              mint: mintAddress,
              token: payerAta,
              mintAuthority: payerSigner,
              amount: 7_000_000_000n,
            },
            { programAddress: program.id },
          ),
        ),
      );
      await sendAndConfirmTransaction(connection, setup, [payer]);
      const transferIx =
        program.id === token2022.TOKEN_2022_PROGRAM_ADDRESS
          ? getTransferChecked2022({
              source: payerAta,
              mint: mintAddress,
              destination: holderAta,
              authority: payerSigner,
              amount: 2_500_000_000n,
              decimals: 9,
            })
          : splToken.getTransferCheckedInstruction({
              source: payerAta,
              mint: mintAddress,
              destination: holderAta,
              authority: payerSigner,
              amount: 2_500_000_000n,
              decimals: 9,
            });
      await sendAndConfirmTransaction(
        connection,
        new Transaction().add(toWeb3Instruction(transferIx)),
        [payer],
      );

      const info = await connection.getParsedAccountInfo(new PublicKey(holderAta));
      const data = info.value?.data as ParsedAccountData;
      expect(data.program).toBe(program.parsedProgram);
      expect(data.parsed.info.tokenAmount).toEqual({
        amount: "2500000000",
        decimals: 9,
        uiAmount: 2.5,
        uiAmountString: "2.5",
      });
      expect(data.parsed.info.owner).toBe(holder.publicKey.toBase58());

      const mintInfo = await connection.getParsedAccountInfo(mint.publicKey);
      const mintData = mintInfo.value?.data as ParsedAccountData | undefined;
      expect(mintData?.parsed.info).toMatchObject({
        decimals: 9,
        supply: "7000000000",
        freezeAuthority: payer.publicKey.toBase58(),
        isInitialized: true,
      });

      const balance = await connection.getTokenAccountBalance(new PublicKey(payerAta));
      expect(balance.value.amount).toBe("4500000000");
      const owned = await connection.getParsedTokenAccountsByOwner(holder.publicKey, {
        programId: new PublicKey(program.id),
      });
      expect(owned.value.map((a) => a.pubkey.toBase58())).toEqual([holderAta]);
      const supply = await connection.getTokenSupply(mint.publicKey);
      expect(supply.value.uiAmountString).toBe("7");
    });
  }
});
