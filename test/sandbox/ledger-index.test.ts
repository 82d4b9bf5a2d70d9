import {
  type Address,
  appendTransactionMessageInstructions,
  blockhash,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  type Instruction,
  type KeyPairSigner,
  none,
  pipe,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  some,
} from "@solana/kit";
import { getCreateAccountInstruction } from "@solana-program/system";
import * as spl from "@solana-program/token";
import { beforeEach, describe, expect, it } from "vitest";
import { readTokenAccount } from "../../src/sandbox/encoding/token-layout.js";
import { createSandboxChain, type SandboxChain, TOKEN_PROGRAM } from "../../src/sandbox/index.js";

const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111" as Address;

let chain: SandboxChain;
let payer: KeyPairSigner;

async function send(instructions: Instruction[]) {
  const block = chain.getBlock(chain.getSlot());
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: blockhash(block.blockhash), lastValidBlockHeight: 1_000_000n },
        m,
      ),
    (m) => appendTransactionMessageInstructions(instructions, m),
  );
  const result = chain.sendTransaction(await signTransactionMessageWithSigners(message));
  expect(result.err).toBeNull();
  return result;
}

async function createMint(authority: KeyPairSigner) {
  const mint = await generateKeyPairSigner();
  await send([
    getCreateAccountInstruction({
      payer,
      newAccount: mint,
      lamports: chain.minimumBalanceForRentExemption(82),
      space: 82,
      programAddress: TOKEN_PROGRAM,
    }),
    spl.getInitializeMint2Instruction({
      mint: mint.address,
      decimals: 6,
      mintAuthority: authority.address,
      freezeAuthority: none(),
    }),
  ]);
  return mint.address;
}

async function createTokenAccount(mint: Address, owner: Address, amount: bigint) {
  const account = await generateKeyPairSigner();
  await send([
    getCreateAccountInstruction({
      payer,
      newAccount: account,
      lamports: chain.minimumBalanceForRentExemption(165),
      space: 165,
      programAddress: TOKEN_PROGRAM,
    }),
    spl.getInitializeAccount3Instruction({ account: account.address, mint, owner }),
    ...(amount > 0n
      ? [spl.getMintToInstruction({ mint, token: account.address, mintAuthority: payer, amount })]
      : []),
  ]);
  return account.address;
}

/** The index must always agree with a full scan of the token program's accounts. */
function expectIndexMatchesScan(owners: readonly Address[], mints: readonly Address[]) {
  const scanned = chain.getProgramAccounts(TOKEN_PROGRAM).flatMap(({ address, account }) => {
    const token = readTokenAccount(account.data);
    return token ? [{ address, token }] : [];
  });
  const view = (entries: readonly { address: Address; token: { amount: bigint } }[]) =>
    entries.map((e) => `${e.address}:${e.token.amount}`).sort();
  for (const owner of owners) {
    expect(view(chain.getTokenAccountsByOwner(owner))).toEqual(
      view(scanned.filter(({ token }) => token.owner === owner)),
    );
  }
  for (const mint of mints) {
    expect(view(chain.getTokenAccountsByMint(mint))).toEqual(
      view(scanned.filter(({ token }) => token.mint === mint)),
    );
  }
}

beforeEach(async () => {
  chain = createSandboxChain({ manualClock: true });
  payer = await generateKeyPairSigner();
  chain.airdrop(payer.address, 100_000_000_000n);
});

describe("ledger reads and the token account index", () => {
  it("follow transfers, owner changes, closes, raw writes and snapshot restores", async () => {
    const alice = await generateKeyPairSigner();
    const bob = await generateKeyPairSigner();
    const carol = await generateKeyPairSigner();
    const owners = [alice.address, bob.address, carol.address, payer.address];
    // An index built before any token account exists must still see every later one.
    expect(chain.getTokenAccountsByOwner(alice.address)).toEqual([]);
    const mint = await createMint(payer);
    const other = await createMint(payer);
    const mints = [mint, other];
    const aliceAccount = await createTokenAccount(mint, alice.address, 1_000n);
    const bobAccount = await createTokenAccount(mint, bob.address, 0n);
    await createTokenAccount(other, alice.address, 7n);
    expectIndexMatchesScan(owners, mints);
    const snapshot = chain.snapshot();

    await send([
      spl.getTransferInstruction({
        source: aliceAccount,
        destination: bobAccount,
        authority: alice,
        amount: 400n,
      }),
    ]);
    expect(chain.getTokenAccountsByMint(mint).map((e) => e.token.amount)).toEqual([600n, 400n]);
    expectIndexMatchesScan(owners, mints);

    await send([
      spl.getSetAuthorityInstruction({
        owned: bobAccount,
        owner: bob,
        authorityType: spl.AuthorityType.AccountOwner,
        newAuthority: some(carol.address),
      }),
    ]);
    expect(chain.getTokenAccountsByOwner(bob.address)).toEqual([]);
    expect(chain.getTokenAccountsByOwner(carol.address).map((e) => e.address)).toEqual([
      bobAccount,
    ]);
    expectIndexMatchesScan(owners, mints);

    await send([
      spl.getBurnInstruction({ account: bobAccount, mint, authority: carol, amount: 400n }),
      spl.getCloseAccountInstruction({
        account: bobAccount,
        destination: payer.address,
        owner: carol,
      }),
    ]);
    expect(chain.getAccount(bobAccount)).toBeNull();
    expectIndexMatchesScan(owners, mints);

    // Raw writes (the admin route) count too: a copy of Alice's account moved to Bob, then gone.
    const copy = (await generateKeyPairSigner()).address;
    const data = Uint8Array.from(chain.getAccount(aliceAccount)?.data ?? []);
    data.set(getAddressEncoder().encode(bob.address), 32);
    chain.setAccount({ address: copy, lamports: 3_000_000n, owner: TOKEN_PROGRAM, data });
    expect(chain.getTokenAccountsByOwner(bob.address).map((e) => e.address)).toEqual([copy]);
    expectIndexMatchesScan(owners, mints);
    chain.setAccount({ address: copy, lamports: 0n });
    expect(chain.getAccount(copy)).toBeNull();
    expectIndexMatchesScan(owners, mints);

    chain.restore(snapshot);
    expect(chain.getTokenAccountsByOwner(bob.address).map((e) => e.address)).toEqual([bobAccount]);
    expect(chain.getTokenAccountsByOwner(carol.address)).toEqual([]);
    expect(chain.getAccount(aliceAccount)).not.toBeNull();
    expectIndexMatchesScan(owners, mints);
  });

  it("reads lamports after every transaction and the clock after every slot", async () => {
    const recipient = (await generateKeyPairSigner()).address;
    expect(chain.getAccount(recipient)).toBeNull();
    chain.airdrop(recipient, 5_000_000n);
    expect(chain.getAccount(recipient)?.lamports).toBe(5_000_000n);
    const before = chain.getAccount(payer.address)?.lamports ?? 0n;
    chain.airdrop(recipient, 1_000_000n);
    expect(chain.getAccount(recipient)?.lamports).toBe(6_000_000n);
    expect(chain.getAccount(payer.address)?.lamports).toBe(before);

    const slotOf = () => {
      const data = chain.getAccount(CLOCK_SYSVAR)?.data ?? new Uint8Array(8);
      return new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(0, true);
    };
    const first = slotOf();
    chain.advance(3);
    expect(slotOf()).toBe(first + 3n);
  });
});
