import { type Address, generateKeyPairSigner, none, some } from "@solana/kit";
import {
  AccountState,
  type ExtensionArgs,
  getMintEncoder,
  getTokenEncoder,
} from "@solana-program/token-2022";
import { describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { checkTransferFee } from "../../src/safety/checks/transfer-fee-check.js";
import { getMintAuthorities } from "../../src/safety/mint-authorities.js";
import {
  findExtension,
  parseMintAccount,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from "../../src/safety/parse-mint-account.js";
import { readable, unreadable } from "../../src/safety/readable.js";

const ZERO = "11111111111111111111111111111111" as Address;
const MINT = "So11111111111111111111111111111111111111112";

async function addresses(n: number): Promise<Address[]> {
  return Promise.all(
    Array.from({ length: n }, async () => (await generateKeyPairSigner()).address),
  );
}

function encodeMint(extensions: ExtensionArgs[] | null, authority: Address | null = null) {
  return new Uint8Array(
    getMintEncoder().encode({
      mintAuthority: authority,
      supply: 1_000_000n,
      decimals: 6,
      isInitialized: true,
      freezeAuthority: null,
      extensions: extensions ?? none(),
    }),
  );
}

function transferFee(
  older: number,
  newer: number,
  newerEpoch: bigint,
  authority: Address,
): ExtensionArgs {
  return {
    __kind: "TransferFeeConfig",
    transferFeeConfigAuthority: authority,
    withdrawWithheldAuthority: authority,
    withheldAmount: 0n,
    olderTransferFee: { epoch: 0n, maximumFee: 10n ** 18n, transferFeeBasisPoints: older },
    newerTransferFee: { epoch: newerEpoch, maximumFee: 10n ** 18n, transferFeeBasisPoints: newer },
  };
}

describe("parseMintAccount on data built by @solana-program/token-2022's encoders", () => {
  it("reads a classic mint's authorities, supply and decimals", async () => {
    const [authority] = await addresses(1);
    const parsed = parseMintAccount(MINT, {
      owner: TOKEN_PROGRAM,
      data: encodeMint(null, authority ?? null),
    });
    expect(parsed).toMatchObject({
      program: "spl-token",
      mintAuthority: authority,
      freezeAuthority: null,
      supply: 1_000_000n,
      decimals: 6,
      extensions: [],
    });
  });

  it("decodes every risky extension from the TLV area", async () => {
    const [a, b, c, d] = (await addresses(4)) as [Address, Address, Address, Address];
    const extensions: ExtensionArgs[] = [
      transferFee(50, 9_900, 7n, a),
      { __kind: "PermanentDelegate", delegate: b },
      { __kind: "NonTransferable" },
      { __kind: "DefaultAccountState", state: AccountState.Frozen },
      { __kind: "TransferHook", authority: a, programId: c },
      { __kind: "MintCloseAuthority", closeAuthority: d },
      { __kind: "PausableConfig", authority: some(a), paused: false },
      {
        __kind: "ConfidentialTransferMint",
        authority: some(a),
        autoApproveNewAccounts: true,
        auditorElgamalPubkey: none(),
      },
      {
        __kind: "InterestBearingConfig",
        rateAuthority: a,
        initializationTimestamp: 1n,
        preUpdateAverageRate: 5,
        lastUpdateTimestamp: 1n,
        currentRate: 5,
      },
      {
        __kind: "ScaledUiAmountConfig",
        authority: a,
        multiplier: 2,
        newMultiplierEffectiveTimestamp: 0n,
        newMultiplier: 2,
      },
      { __kind: "MetadataPointer", authority: some(a), metadataAddress: some(MINT as Address) },
      {
        __kind: "TokenMetadata",
        updateAuthority: some(a),
        mint: MINT as Address,
        name: "Evil",
        symbol: "EVL",
        uri: "",
        additionalMetadata: new Map(),
      },
    ];
    const parsed = parseMintAccount(MINT, {
      owner: TOKEN_2022_PROGRAM,
      data: encodeMint(extensions),
    });
    expect(parsed.program).toBe("token-2022");
    expect(parsed.extensions.map((e) => e.__kind)).toEqual(extensions.map((e) => e.__kind));
    expect(findExtension(parsed, "PermanentDelegate")?.delegate).toBe(b);
    expect(findExtension(parsed, "TransferHook")?.programId).toBe(c);
    expect(findExtension(parsed, "TokenMetadata")?.name).toBe("Evil");
    const authorities = getMintAuthorities(parsed);
    expect(authorities).toMatchObject({
      permanentDelegate: b,
      transferHookProgram: c,
      closeAuthority: d,
      pauseAuthority: a,
      mintAuthority: null,
    });
  });

  it("applies the older transfer fee before newerTransferFee.epoch and the newer one from it", async () => {
    const [a] = (await addresses(1)) as [Address];
    const parsed = parseMintAccount(MINT, {
      owner: TOKEN_2022_PROGRAM,
      data: encodeMint([transferFee(100, 9_900, 10n, a)]),
    });
    const before = checkTransferFee(parsed, readable(9n), null);
    expect(before.status).toBe("warn");
    expect(before.detail).toContain("1%");
    expect(before.detail).toContain("rises to 99% at epoch 10");
    expect(checkTransferFee(parsed, readable(10n), null).status).toBe("fail");
    expect(checkTransferFee(parsed, readable(11n), null).detail).toContain("99%");
    // Epoch unreadable and fees differ: assume the worse one.
    expect(checkTransferFee(parsed, unreadable("rpc down"), null).status).toBe("fail");
    const lowered = parseMintAccount(MINT, {
      owner: TOKEN_2022_PROGRAM,
      data: encodeMint([transferFee(9_900, 0, 3n, a)]),
    });
    expect(checkTransferFee(lowered, readable(2n), null).status).toBe("fail");
    expect(checkTransferFee(lowered, readable(3n), null).status).toBe("pass");
  });

  it("counts a capped transfer fee for what it takes from the amount bought", async () => {
    const [a] = (await addresses(1)) as [Address];
    const capped: ExtensionArgs = {
      ...transferFee(5_000, 5_000, 0n, a),
      olderTransferFee: { epoch: 0n, maximumFee: 1_000n, transferFeeBasisPoints: 5_000 },
      newerTransferFee: { epoch: 0n, maximumFee: 1_000n, transferFeeBasisPoints: 5_000 },
    } as ExtensionArgs;
    const parsed = parseMintAccount(MINT, {
      owner: TOKEN_2022_PROGRAM,
      data: encodeMint([capped]),
    });
    expect(checkTransferFee(parsed, readable(1n), 1_000_000n).status).toBe("warn");
    expect(checkTransferFee(parsed, readable(1n), null).status).toBe("fail");
  });

  it("reports a TLV entry of an unknown type instead of failing the mint", () => {
    const data = encodeMint([{ __kind: "NonTransferable" }]);
    const extra = new Uint8Array(data.length + 6);
    extra.set(data);
    new DataView(extra.buffer).setUint16(data.length, 999, true);
    new DataView(extra.buffer).setUint16(data.length + 2, 2, true);
    const parsed = parseMintAccount(MINT, { owner: TOKEN_2022_PROGRAM, data: extra });
    expect(parsed.extensions).toEqual([
      { __kind: "NonTransferable" },
      { __kind: "Unknown", type: 999 },
    ]);
  });

  it("refuses wallets, token accounts and foreign accounts with NOT_A_MINT", async () => {
    const [owner] = (await addresses(1)) as [Address];
    const token = new Uint8Array(
      getTokenEncoder().encode({
        mint: MINT as Address,
        owner,
        amount: 5n,
        delegate: none(),
        state: AccountState.Initialized,
        isNative: none(),
        delegatedAmount: 0n,
        closeAuthority: none(),
        extensions: none(),
      }),
    );
    const cases = [
      { owner: ZERO, data: new Uint8Array() },
      { owner: TOKEN_PROGRAM, data: token },
      { owner: TOKEN_2022_PROGRAM, data: token },
      { owner: TOKEN_PROGRAM, data: new Uint8Array(355) },
      { owner: TOKEN_PROGRAM, data: new Uint8Array(82) },
    ];
    for (const account of cases) {
      let thrown: unknown;
      try {
        parseMintAccount(MINT, account);
      } catch (error) {
        thrown = error;
      }
      expect(isOspreyError(thrown, "NOT_A_MINT")).toBe(true);
    }
  });
});
