import {
  type Address,
  airdropFactory,
  generateKeyPairSigner,
  lamports,
  type TransactionSigner,
} from "@solana/kit";
import { getCreateAccountInstruction, getTransferSolInstruction } from "@solana-program/system";
import * as splToken from "@solana-program/token";
import * as token2022 from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createKitClients, type KitClients } from "./kit-helpers.js";

// Client flows need slots to pass for "confirmed"; 50 ms slots keep blockhashes valid 7.5 s.
let sandbox: RunningSandbox;
let kit: KitClients;
let payer: TransactionSigner;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, slotMs: 50 });
  kit = createKitClients(sandbox.rpcUrls[0] as string, sandbox.wsUrls[0] as string);
  payer = await generateKeyPairSigner();
  const airdrop = airdropFactory({ rpc: kit.rpc, rpcSubscriptions: kit.rpcSubscriptions });
  await airdrop({
    recipientAddress: payer.address,
    lamports: lamports(10_000_000_000n),
    commitment: "confirmed",
  });
});

afterAll(async () => {
  await sandbox.close();
});

describe("sandbox with @solana/kit", () => {
  it("airdrops and transfers SOL", async () => {
    const { value: balance } = await kit.rpc
      .getBalance(payer.address, { commitment: "confirmed" })
      .send();
    expect(balance).toBe(10_000_000_000n);
    const recipient = await generateKeyPairSigner();
    const signature = await kit.send(payer, [
      getTransferSolInstruction({
        source: payer,
        destination: recipient.address,
        amount: 1_500_000_000n,
      }),
    ]);
    const { value } = await kit.rpc
      .getBalance(recipient.address, { commitment: "confirmed" })
      .send();
    expect(value).toBe(1_500_000_000n);
    const tx = await kit.rpc
      .getTransaction(signature, {
        commitment: "confirmed",
        maxSupportedTransactionVersion: 0,
        encoding: "json",
      })
      .send();
    expect(tx?.meta?.err).toBeNull();
    expect(tx?.meta?.fee).toBe(5000n);
    expect(tx?.meta?.preBalances[1]).toBe(0n);
    expect(tx?.meta?.postBalances[1]).toBe(1_500_000_000n);
    expect(tx?.meta?.postBalances[0]).toBe(10_000_000_000n - 1_500_000_000n - 5000n);
    expect(tx?.version).toBe(0);
    expect(tx?.meta?.logMessages?.[0]).toContain("11111111111111111111111111111111 invoke [1]");
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
    it(`creates a ${program.name} mint and ATAs, mints, transfers and reads back`, async () => {
      const mint = await generateKeyPairSigner();
      const holder = await generateKeyPairSigner();
      const is2022 = program.id === token2022.TOKEN_2022_PROGRAM_ADDRESS;
      const extensions = is2022
        ? [token2022.extension("MintCloseAuthority", { closeAuthority: payer.address })]
        : [];
      const space = is2022 ? token2022.getMintSize(extensions) : 82;
      const rent = await kit.rpc.getMinimumBalanceForRentExemption(BigInt(space)).send();
      const createMint = [
        getCreateAccountInstruction({
          payer,
          newAccount: mint,
          lamports: rent,
          space,
          programAddress: program.id,
        }),
        ...(is2022
          ? token2022.getPreInitializeInstructionsForMintExtensions(mint.address, extensions)
          : []),
        program.lib.getInitializeMint2Instruction({
          mint: mint.address,
          decimals: 6,
          mintAuthority: payer.address,
        }),
      ];
      await kit.send(payer, createMint);

      const [payerAta] = await program.lib.findAssociatedTokenPda({
        owner: payer.address,
        mint: mint.address,
        tokenProgram: program.id,
      });
      const [holderAta] = await program.lib.findAssociatedTokenPda({
        owner: holder.address,
        mint: mint.address,
        tokenProgram: program.id,
      });
      await kit.send(payer, [
        await program.lib.getCreateAssociatedTokenInstructionAsync({
          payer,
          owner: payer.address,
          mint: mint.address,
          tokenProgram: program.id,
        }),
        await program.lib.getCreateAssociatedTokenIdempotentInstructionAsync({
          payer,
          owner: holder.address,
          mint: mint.address,
          tokenProgram: program.id,
        }),
        program.lib.getMintToInstruction(
          { mint: mint.address, token: payerAta, mintAuthority: payer, amount: 5_000_000n },
          { programAddress: program.id },
        ),
      ]);
      const signature = await kit.send(payer, [
        program.lib.getTransferCheckedInstruction(
          {
            source: payerAta,
            mint: mint.address,
            destination: holderAta,
            authority: payer,
            amount: 1_250_000n,
            decimals: 6,
          },
          { programAddress: program.id },
        ),
      ]);

      const { value: balance } = await kit.rpc
        .getTokenAccountBalance(holderAta, { commitment: "confirmed" })
        .send();
      expect(balance).toMatchObject({ amount: "1250000", decimals: 6, uiAmountString: "1.25" });
      const { value: supply } = await kit.rpc
        .getTokenSupply(mint.address, { commitment: "confirmed" })
        .send();
      expect(supply.amount).toBe("5000000");

      const { value: parsed } = await kit.rpc
        .getAccountInfo(holderAta, { encoding: "jsonParsed" })
        .send();
      expect(parsed?.owner).toBe(program.id);
      const data = parsed?.data as unknown as {
        program: string;
        parsed: { type: string; info: Record<string, unknown> };
      };
      expect(data.program).toBe(program.parsedProgram);
      expect(data.parsed.type).toBe("account");
      expect(data.parsed.info).toMatchObject({
        mint: mint.address,
        owner: holder.address,
        state: "initialized",
      });
      if (is2022) expect(data.parsed.info.extensions).toEqual([{ extension: "immutableOwner" }]);

      const { value: mintInfo } = await kit.rpc
        .getAccountInfo(mint.address, { encoding: "jsonParsed" })
        .send();
      const mintData = mintInfo?.data as unknown as { parsed: { info: Record<string, unknown> } };
      expect(mintData.parsed.info).toMatchObject({
        decimals: 6,
        supply: "5000000",
        mintAuthority: payer.address,
        freezeAuthority: null,
      });
      if (is2022) {
        expect(mintData.parsed.info.extensions).toEqual([
          { extension: "mintCloseAuthority", state: { closeAuthority: payer.address } },
        ]);
      }

      const { value: byOwner } = await kit.rpc
        .getTokenAccountsByOwner(holder.address, { mint: mint.address }, { encoding: "base64" })
        .send();
      expect(byOwner.map((a) => a.pubkey)).toEqual([holderAta]);
      const { value: byProgram } = await kit.rpc
        .getTokenAccountsByOwner(
          holder.address,
          { programId: program.id },
          { encoding: "jsonParsed" },
        )
        .send();
      expect(byProgram).toHaveLength(1);
      const { value: largest } = await kit.rpc
        .getTokenLargestAccounts(mint.address, { commitment: "confirmed" })
        .send();
      expect(largest.map((a) => [a.address, a.amount])).toEqual([
        [payerAta, "3750000"],
        [holderAta, "1250000"],
      ]);

      const tx = await kit.rpc
        .getTransaction(signature, {
          commitment: "confirmed",
          maxSupportedTransactionVersion: 0,
          encoding: "jsonParsed",
        })
        .send();
      const post = tx?.meta?.postTokenBalances ?? [];
      const pre = tx?.meta?.preTokenBalances ?? [];
      const holderPost = post.find((b) => b.owner === holder.address);
      expect(holderPost).toMatchObject({
        mint: mint.address,
        programId: program.id,
        uiTokenAmount: { amount: "1250000", decimals: 6 },
      });
      expect(pre.find((b) => b.owner === holder.address)?.uiTokenAmount.amount).toBe("0");
      const ix = tx?.transaction.message.instructions[0] as unknown as { parsed: { type: string } };
      expect(ix.parsed.type).toBe("transferChecked");
    });
  }

  it("reports program accounts with filters", async () => {
    const owner: Address = payer.address;
    const { value } = await kit.rpc
      .getTokenAccountsByOwner(
        owner,
        { programId: splToken.TOKEN_PROGRAM_ADDRESS },
        { encoding: "base64" },
      )
      .send();
    const accounts = await kit.rpc
      .getProgramAccounts(splToken.TOKEN_PROGRAM_ADDRESS, {
        encoding: "base64",
        filters: [
          { dataSize: 165n },
          { memcmp: { offset: 32n, bytes: owner as string as never, encoding: "base58" } },
        ],
      })
      .send();
    expect(accounts.map((a) => a.pubkey).sort()).toEqual(value.map((a) => a.pubkey).sort());
  });
});
