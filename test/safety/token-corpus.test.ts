import { type Address, generateKeyPairSigner, type KeyPairSigner, some } from "@solana/kit";
import {
  AccountState,
  AuthorityType,
  getSetAuthorityInstruction,
} from "@solana-program/token-2022";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECK_IDS, type SafetyReport, type Verdict } from "../../src/safety/index.js";
import { createChainSender } from "../../src/sandbox/market/chain-sender.js";
import { type SafetySandbox, startSafetySandbox } from "./sandbox-setup.js";
import { INCINERATOR, type TestTokenSpec, writeTestToken } from "./sandbox-tokens.js";

type Findings = Record<string, string>;

const spread = (n: number, amount: bigint) => Array.from({ length: n }, () => ({ amount }));
const healthy = { pool: 500_000n, holders: spread(12, 40_000n) };

function findings(report: SafetyReport): Findings {
  return Object.fromEntries(
    report.checks.filter((c) => c.status !== "pass").map((c) => [c.id, c.status]),
  );
}

describe("safety corpus: demo market tokens and tokens made for the test, on the sandbox", () => {
  let env: SafetySandbox;
  let issuer: KeyPairSigner;
  const made: Record<string, Address> = {};
  const extras = (a: Address): Record<string, [TestTokenSpec, Verdict, Findings]> => ({
    PLAIN: [{ symbol: "PLAIN", program: "spl-token", ...healthy }, "ok", {}],
    PLAIN22: [{ symbol: "PLAIN22", ...healthy }, "ok", {}],
    PAUSE: [
      {
        symbol: "PAUSE",
        extensions: [{ __kind: "PausableConfig", authority: some(a), paused: false }],
        ...healthy,
      },
      "block",
      { pausable: "fail" },
    ],
    PAUSED: [
      {
        symbol: "PAUSED",
        extensions: [{ __kind: "PausableConfig", authority: { __option: "None" }, paused: true }],
        ...healthy,
      },
      "block",
      { pausable: "fail" },
    ],
    FEE1: [
      { symbol: "FEE1", extensions: [fee(a, 100, 100, 0n)], ...healthy },
      "warn",
      { transfer_fee: "warn" },
    ],
    FEESOON: [
      { symbol: "FEESOON", extensions: [fee(a, 0, 9_900, 50n)], ...healthy },
      "warn",
      { transfer_fee: "warn" },
    ],
    FEEOLD: [{ symbol: "FEEOLD", extensions: [fee(a, 9_900, 0, 0n)], ...healthy }, "ok", {}],
    CLOSE: [
      {
        symbol: "CLOSE",
        extensions: [{ __kind: "MintCloseAuthority", closeAuthority: a }],
        ...healthy,
      },
      "warn",
      { mint_close_authority: "warn" },
    ],
    CONF: [
      {
        symbol: "CONF",
        extensions: [
          {
            __kind: "ConfidentialTransferMint",
            authority: some(a),
            autoApproveNewAccounts: true,
            auditorElgamalPubkey: { __option: "None" },
          },
        ],
        ...healthy,
      },
      "warn",
      { confidential_transfer: "warn" },
    ],
    INTEREST: [
      {
        symbol: "INTEREST",
        extensions: [
          {
            __kind: "InterestBearingConfig",
            rateAuthority: a,
            initializationTimestamp: 0n,
            preUpdateAverageRate: 500,
            lastUpdateTimestamp: 0n,
            currentRate: 500,
          },
        ],
        ...healthy,
      },
      "warn",
      { interest_bearing: "warn" },
    ],
    SCALED: [
      {
        symbol: "SCALED",
        extensions: [
          {
            __kind: "ScaledUiAmountConfig",
            authority: a,
            multiplier: 3,
            newMultiplierEffectiveTimestamp: 0n,
            newMultiplier: 3,
          },
        ],
        ...healthy,
      },
      "warn",
      { scaled_ui_amount: "warn" },
    ],
    DEFAULTOK: [
      {
        symbol: "DEFAULTOK",
        extensions: [{ __kind: "DefaultAccountState", state: AccountState.Initialized }],
        ...healthy,
      },
      "ok",
      {},
    ],
    NOMETA: [
      { symbol: "NOMETA", program: "spl-token", metadata: "none", ...healthy },
      "warn",
      { metadata_missing: "warn" },
    ],
    MUTMETA: [
      { symbol: "MUTMETA", metadataMutable: true, ...healthy },
      "warn",
      { metadata_mutable: "warn" },
    ],
    NOPOOL: [
      { symbol: "NOPOOL", holders: spread(25, 40_000n) },
      "block",
      { sell_route: "fail", price_impact: "unknown", round_trip_loss: "unknown" },
    ],
    COMBO: [
      {
        symbol: "COMBO",
        mintAuthority: a,
        freezeAuthority: a,
        extensions: [
          { __kind: "PermanentDelegate", delegate: a },
          { __kind: "TransferHook", authority: a, programId: a },
        ],
        ...healthy,
      },
      "block",
      {
        mint_authority: "warn",
        freeze_authority: "fail",
        permanent_delegate: "fail",
        transfer_hook: "warn",
      },
    ],
    TOP25: [
      { symbol: "TOP25", pool: 500_000n, holders: [{ amount: 250_000n }, ...spread(10, 25_000n)] },
      "warn",
      { holder_concentration: "warn" },
    ],
    BURNED: [
      {
        symbol: "BURNED",
        pool: 200_000n,
        holders: [{ owner: INCINERATOR, amount: 600_000n }, ...spread(10, 20_000n)],
      },
      "ok",
      {},
    ],
  });
  let cases: Record<string, [TestTokenSpec, Verdict, Findings]> = {};

  beforeAll(async () => {
    env = await startSafetySandbox();
    const authority = (await generateKeyPairSigner()).address;
    cases = extras(authority);
    for (const [symbol, [spec]] of Object.entries(cases)) {
      made[symbol] = await writeTestToken(env.sandbox.chain, env.market.market.pools, spec);
    }
    issuer = await generateKeyPairSigner();
    env.sandbox.chain.airdrop(issuer.address, 1_000_000_000n);
    made.ALLOWED = await writeTestToken(env.sandbox.chain, env.market.market.pools, {
      symbol: "ALLOWED",
      program: "spl-token",
      mintAuthority: issuer.address,
      freezeAuthority: issuer.address,
      ...healthy,
    });
  }, 120_000);
  afterAll(() => env?.close());

  const demo: [string, Verdict, Findings][] = [
    ["FREEZE", "block", { freeze_authority: "fail" }],
    ["PRINT", "warn", { mint_authority: "warn" }],
    ["FEE99", "block", { transfer_fee: "fail" }],
    ["PDELEG", "block", { permanent_delegate: "fail" }],
    ["NOXFER", "block", { non_transferable: "fail" }],
    ["DFROZEN", "block", { freeze_authority: "fail", default_account_state: "fail" }],
    ["HOOK", "warn", { transfer_hook: "warn" }],
    ["WHALE", "block", { holder_concentration: "fail" }],
    ["MUTABLE", "warn", { metadata_mutable: "warn" }],
    ["DRY", "block", { price_impact: "fail", round_trip_loss: "fail" }],
    ["FAKEUSDC", "block", { impersonation: "fail" }],
  ];

  it.each(demo)("demo risky token %s → %s with its findings", async (symbol, verdict, expected) => {
    const mint = env.market.risky[symbol];
    expect(mint, `demo market has ${symbol}`).toBeDefined();
    const report = await env.analyzer.analyzeToken(mint as string);
    expect(report.verdict).toBe(verdict);
    const found = findings(report);
    // Fails exactly; the expected warns at least (demo tokens may carry incidental ones).
    const fails = Object.keys(found).filter((id) => found[id] === "fail");
    expect(fails.sort()).toEqual(
      Object.keys(expected)
        .filter((id) => expected[id] === "fail")
        .sort(),
    );
    expect(found).toMatchObject(expected);
    expect(report.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(CHECK_IDS.filter((id) => id !== "unknown_extension")),
    );
  });

  it("demo healthy tokens are ok, and the allow-listed stable is ok despite its authorities", async () => {
    for (const [symbol, mint] of Object.entries(env.market.mints)) {
      const report = await env.analyzer.analyzeToken(mint);
      expect(report.verdict, symbol).toBe("ok");
      expect(
        report.checks.filter((c) => c.status === "fail"),
        symbol,
      ).toEqual([]);
      if (symbol === "USDC") {
        expect(report.verdict).toBe("ok");
        expect(report.score).toBe(0);
        expect(report.checks.find((c) => c.id === "freeze_authority")?.detail).toContain(
          "Accepted for allow-listed USDC",
        );
      }
    }
  });

  it("extra tokens: every check, alone and combined", async () => {
    const mismatches: string[] = [];
    for (const [symbol, [, verdict, expected]] of Object.entries(cases)) {
      const report = await env.analyzer.analyzeToken(made[symbol] as string);
      const found = findings(report);
      if (
        report.verdict !== verdict ||
        JSON.stringify(found) !== JSON.stringify(sortLike(found, expected))
      ) {
        mismatches.push(
          `${symbol}: ${report.verdict} ${JSON.stringify(found)} (want ${verdict} ${JSON.stringify(expected)})`,
        );
      }
      expect(report.symbol).toBe(symbol === "NOMETA" ? null : symbol);
      const band = { ok: [0, 0], warn: [5, 89], block: [90, 100] }[report.verdict];
      expect(report.score).toBeGreaterThanOrEqual(band[0] as number);
      expect(report.score).toBeLessThanOrEqual(band[1] as number);
    }
    expect(mismatches).toEqual([]);
  });

  it("an allow-listed sandbox mint holding mint and freeze authority is ok until an authority changes", async () => {
    const { createAllowList, createTokenAnalyzer, readAllowListEntry } = await import(
      "../../src/safety/index.js"
    );
    const mint = made.ALLOWED as string;
    const entry = await readAllowListEntry(env.rpc, mint, "ALLOWED");
    const analyzer = createTokenAnalyzer({
      rpc: env.rpc,
      swapClient: env.swapClient,
      clock: { now: () => Date.now() },
      allowList: createAllowList([entry]),
    });
    const before = await analyzer.analyzeToken(mint);
    expect(before.verdict).toBe("ok");
    expect((await env.analyzer.analyzeToken(mint)).verdict).toBe("block");

    const newFreezer = (await generateKeyPairSigner()).address;
    await createChainSender(env.sandbox.chain).send(issuer, [
      getSetAuthorityInstruction(
        {
          owned: mint as Address,
          owner: issuer,
          authorityType: AuthorityType.FreezeAccount,
          newAuthority: newFreezer,
        },
        { programAddress: "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA" as Address },
      ),
    ]);
    // Cached within 10 s; a buy's mint re-read, and a fresh read, see the change.
    expect((await analyzer.analyzeToken(mint)).verdict).toBe("ok");
    const beforeBuy = await analyzer.analyzeToken(mint, { freshMint: true });
    expect(beforeBuy.checks.find((c) => c.id === "freeze_authority")?.status).toBe("fail");
    const after = await analyzer.analyzeToken(mint, { fresh: true });
    expect(after.verdict).toBe("block");
    expect(findings(after)).toEqual({
      mint_authority: "warn",
      freeze_authority: "fail",
      allow_list: "warn",
    });
    expect(after.checks.find((c) => c.id === "allow_list")?.detail).toContain(newFreezer);
  });
});

function fee(authority: Address, older: number, newer: number, epoch: bigint) {
  return {
    __kind: "TransferFeeConfig" as const,
    transferFeeConfigAuthority: authority,
    withdrawWithheldAuthority: authority,
    withheldAmount: 0n,
    olderTransferFee: { epoch: 0n, maximumFee: 10n ** 15n, transferFeeBasisPoints: older },
    newerTransferFee: { epoch, maximumFee: 10n ** 15n, transferFeeBasisPoints: newer },
  };
}

/** `expected` with its keys in the order of the report, so JSON comparison ignores order. */
function sortLike(found: Findings, expected: Findings): Findings {
  const order = Object.keys(found);
  return Object.fromEntries(
    Object.entries(expected).sort(
      ([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99),
    ),
  );
}
