import { address, generateKeyPairSigner } from "@solana/kit";
import { findAssociatedTokenPda } from "@solana-program/token";
import { describe, expect, it } from "vitest";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../../src/core/token-programs.js";
import { SOL_MINT } from "../../src/trading/price-client.js";
import { getWalletBalances } from "../../src/wallet/get-wallet-balances.js";
import type { WithdrawalJson } from "../../src/withdrawals/withdrawal-json.js";
import { createHttpClient, type HttpResult, type Json } from "../support/http-client.js";
import { createTrader, type Trader, useTradingApp } from "../trading/trading-setup.js";

const TERMINAL = new Set(["CONFIRMED", "FAILED", "EXPIRED", "REJECTED"]);
const changes: { userId: string; withdrawal: WithdrawalJson }[] = [];

const freshAddress = async () => (await generateKeyPairSigner()).address as string;

describe("withdrawals, the faucet and /v1/meta on the sandbox", () => {
  const env = useTradingApp("sqlite", () => ({
    sandbox: true,
    onWithdrawalChange: (userId, withdrawal) => changes.push({ userId, withdrawal }),
  }));
  const http = () => createHttpClient(env.server.url);

  function withdraw(trader: Trader, body: unknown, key: string, headers = trader.headers) {
    return http().call("POST", `/v1/wallets/${trader.walletId}/withdrawals`, body, {
      ...headers,
      "idempotency-key": key,
    });
  }

  async function settle(trader: Trader, id: string): Promise<Json> {
    for (let i = 0; i < 200; i++) {
      const { body } = await trader.get(`/v1/withdrawals/${id}`);
      if (TERMINAL.has(String(body.status))) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`withdrawal ${id} did not settle`);
  }

  async function tokensOf(owner: string, mint: string): Promise<bigint> {
    const chain = env.server.app.chain;
    if (!chain) throw new Error("no chain");
    const balances = await getWalletBalances(chain.rpc, address(owner));
    return balances.tokens.filter((t) => t.mint === mint).reduce((sum, t) => sum + t.amount, 0n);
  }

  async function buy(trader: Trader, symbol: string): Promise<bigint> {
    const mint = env.sandbox.stack.ready.mints[symbol] ?? "";
    const placed = await trader.order(
      { side: "buy", mint, amountLamports: "500000000" },
      `buy-${symbol}`,
    );
    expect(placed.status, placed.text).toBe(202);
    const order = await trader.settle(String(placed.body.id));
    expect(order.status).toBe("CONFIRMED");
    return BigInt(String(order.amountOut));
  }

  const codeOf = (result: HttpResult) => result.body.error?.code;

  it("GET /v1/meta says sandbox, faucet on, no explorer, and the SOL mint, without credentials", async () => {
    const meta = await http().call("GET", "/v1/meta");
    expect(meta.status, meta.text).toBe(200);
    expect(meta.body).toEqual({
      cluster: "sandbox",
      faucet: true,
      explorerUrl: null,
      feeBps: 85,
      solMint: SOL_MINT,
      mevProtection: false,
      automation: false,
    });
  });

  it("the faucet funds the caller's wallet through requestAirdrop, bounded and only for the owner", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "faucet-user", 0n);
    const other = await createTrader(env.sandbox, env.server.url, "faucet-other", 0n);
    const path = `/v1/wallets/${trader.walletId}/faucet`;
    const funded = await http().call("POST", path, {}, trader.headers);
    expect(funded.status, funded.text).toBe(200);
    expect(funded.body.lamports).toBe("2000000000");
    // Confirmed by the time it answers.
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(2_000_000_000n);
    expect(
      env.sandbox.stack.sandbox.chain.getTransaction(String(funded.body.signature)),
    ).toBeDefined();
    const some = await http().call("POST", path, { lamports: "12345" }, trader.headers);
    expect(some.body).toMatchObject({ lamports: "12345" });
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(2_000_012_345n);
    for (const lamports of ["10000000001", "0", "-1", "1.5", "lots"]) {
      const refused = await http().call("POST", path, { lamports }, trader.headers);
      expect(refused.status, lamports).toBe(400);
      expect(codeOf(refused)).toBe("INVALID_AMOUNT");
    }
    const stranger = await http().call("POST", path, {}, other.headers);
    expect(stranger.status).toBe(404);
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(2_000_012_345n);
  });

  it("withdraws SOL to a new address: it lands, both balances change, the fee is recorded and audited", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "sol-sender");
    const to = await freshAddress();
    const before = env.sandbox.lamportsOf(trader.publicKey);
    const sent = await withdraw(trader, { to, amount: "1500000000" }, "sol-1");
    expect(sent.status, sent.text).toBe(202);
    const withdrawal =
      sent.body.status === "CONFIRMED" ? sent.body : await settle(trader, String(sent.body.id));
    expect(withdrawal).toMatchObject({
      walletId: trader.walletId,
      to,
      mint: null,
      amount: "1500000000",
      status: "CONFIRMED",
      error: null,
      feeLamports: "5000",
    });
    expect((withdrawal.events as { status: string }[]).map((e) => e.status)).toEqual([
      "PENDING",
      "SIGNED",
      "SUBMITTED",
      "CONFIRMED",
    ]);
    expect(env.sandbox.lamportsOf(to)).toBe(1_500_000_000n);
    expect(before - env.sandbox.lamportsOf(trader.publicKey)).toBe(1_500_005_000n);
    const onChain = env.sandbox.stack.sandbox.chain.getTransaction(String(withdrawal.signature));
    expect(onChain).toBeDefined();

    // Listed on the wallet, newest first, and each change went to the event callback.
    const list = await trader.get(`/v1/wallets/${trader.walletId}/withdrawals`);
    expect((list.body.withdrawals as Json[]).map((w) => w.id)).toEqual([withdrawal.id]);
    await expect
      .poll(() =>
        changes.filter((c) => c.withdrawal.id === withdrawal.id).map((c) => c.withdrawal.status),
      )
      .toEqual(["PENDING", "SIGNED", "SUBMITTED", "CONFIRMED"]);
    // Audited: the request before signing, the outcome once known.
    await expect
      .poll(async () => {
        const audit = await trader.get("/v1/audit");
        return (audit.body as unknown as Json[]).map((e) => e.action);
      })
      .toEqual(expect.arrayContaining(["withdrawal.request", "withdrawal.confirmed"]));
  });

  it.each([
    ["BONKY", TOKEN_PROGRAM],
    ["GLIDE", TOKEN_2022_PROGRAM],
  ])(
    "withdraws %s to an address with no token account: the account is created and the tokens arrive",
    async (symbol, tokenProgram) => {
      const trader = await createTrader(env.sandbox, env.server.url, `token-sender-${symbol}`);
      const mint = env.sandbox.stack.ready.mints[symbol] ?? "";
      const bought = await buy(trader, symbol);
      const to = await freshAddress();
      const [ata] = await findAssociatedTokenPda({
        owner: address(to),
        mint: address(mint),
        tokenProgram,
      });
      expect(env.sandbox.stack.sandbox.chain.getAccount(ata)).toBeNull();
      const amount = bought / 3n;
      const solBefore = env.sandbox.lamportsOf(trader.publicKey);
      const sent = await withdraw(
        trader,
        { to, amount: amount.toString(), mint },
        `token-${symbol}`,
      );
      expect(sent.status, sent.text).toBe(202);
      const withdrawal = await settle(trader, String(sent.body.id));
      expect(withdrawal).toMatchObject({
        status: "CONFIRMED",
        mint,
        amount: amount.toString(),
        feeLamports: "5000",
      });
      expect(env.sandbox.stack.sandbox.chain.getAccount(ata)).not.toBeNull();
      expect(await tokensOf(to, mint)).toBe(amount);
      expect(await trader.tokenBalance(mint)).toBe(bought - amount);
      // The wallet paid the fee and the new account's rent.
      const ataRent = env.sandbox.stack.sandbox.chain.getAccount(ata)?.lamports ?? 0n;
      expect(solBefore - env.sandbox.lamportsOf(trader.publicKey)).toBe(5000n + ataRent);
    },
  );

  it("refuses bad addresses, its own address, bad and too large amounts with codes; nothing recorded or sent", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "refused", 1_000_000_000n);
    const mint = env.sandbox.stack.ready.mints.WIFY ?? "";
    const to = await freshAddress();
    const txsBefore = env.sandbox.stack.sandbox.chain.getTransactionsForAddress(
      address(trader.publicKey),
    ).length;
    const cases: [unknown, string][] = [
      [{ to: "not an address", amount: "1000" }, "INVALID_ADDRESS"],
      [{ to: "1111111111111111111111111111111", amount: "1000" }, "INVALID_ADDRESS"],
      // "0" is outside base58 (a letter appended to a 43-character address can still decode
      // to 32 bytes: a valid address).
      [{ to: `${to}0`, amount: "1000" }, "INVALID_ADDRESS"],
      [{ amount: "1000" }, "INVALID_ADDRESS"],
      [{ to, amount: "1000", mint: "bad mint" }, "INVALID_ADDRESS"],
      [{ to: trader.publicKey, amount: "1000" }, "WITHDRAW_TO_SELF"],
      [{ to, amount: "0" }, "INVALID_AMOUNT"],
      [{ to, amount: "-5" }, "INVALID_AMOUNT"],
      [{ to, amount: "1e9" }, "INVALID_AMOUNT"],
      [{ to, amount: "12.5" }, "INVALID_AMOUNT"],
      [{ to, amount: "abc" }, "INVALID_AMOUNT"],
      [{ to, amount: 1000 }, "INVALID_AMOUNT"],
      [{ to, amount: "" }, "INVALID_AMOUNT"],
      [{ to, amount: "18446744073709551616" }, "INVALID_AMOUNT"],
      [{ to }, "INVALID_AMOUNT"],
      [{ to, amount: "2000000000" }, "INSUFFICIENT_BALANCE"],
      [{ to, amount: "1", mint }, "INSUFFICIENT_BALANCE"],
      // Below what the chain needs to open the recipient's account.
      [{ to, amount: "1000" }, "INVALID_AMOUNT"],
      [{ to, amount: "1000", mint: trader.publicKey }, "NOT_A_MINT"],
      [{ to, amount: "1000", mint: await freshAddress() }, "TOKEN_NOT_FOUND"],
    ];
    for (const [n, [body, code]] of cases.entries()) {
      const refused = await withdraw(trader, body, `refused-${n}`);
      expect(refused.status, `${JSON.stringify(body)}: ${refused.text}`).toBe(
        code === "TOKEN_NOT_FOUND" ? 404 : 400,
      );
      expect(codeOf(refused), JSON.stringify(body)).toBe(code);
    }
    const tooMuch = await withdraw(trader, { to, amount: "2000000000" }, "too-much");
    expect(tooMuch.body.error?.details).toEqual({
      available: (1_000_000_000n - 5000n).toString(),
      mint: null,
    });
    // Without an idempotency key or a session: refused too.
    const noKey = await http().call(
      "POST",
      `/v1/wallets/${trader.walletId}/withdrawals`,
      { to, amount: "1000000" },
      trader.headers,
    );
    expect(codeOf(noKey)).toBe("IDEMPOTENCY_KEY_REQUIRED");
    const { "x-trading-session": _s, ...noSession } = trader.headers;
    const withoutSession = await withdraw(
      trader,
      { to, amount: "1000000" },
      "no-session",
      noSession,
    );
    expect(withoutSession.status).toBe(401);
    expect(codeOf(withoutSession)).toBe("SESSION_NOT_FOUND");

    const list = await trader.get(`/v1/wallets/${trader.walletId}/withdrawals`);
    expect(list.body.withdrawals).toEqual([]);
    expect(
      env.sandbox.stack.sandbox.chain.getTransactionsForAddress(address(trader.publicKey)),
    ).toHaveLength(txsBefore);
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(1_000_000_000n);
  });

  it("withdraws everything the wallet can send (details.available), and refuses leaving dust below rent", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "drainer", 1_000_000_000n);
    const to = await freshAddress();
    const tooMuch = await withdraw(trader, { to, amount: "1000000000" }, "drain-0");
    expect(codeOf(tooMuch)).toBe("INSUFFICIENT_BALANCE");
    const available = String((tooMuch.body.error?.details as Json | undefined)?.available);
    expect(available).toBe("999995000");
    const dust = await withdraw(trader, { to, amount: String(999_995_000n - 100n) }, "drain-1");
    expect(dust.status).toBe(400);
    expect(codeOf(dust)).toBe("INVALID_AMOUNT");
    const all = await withdraw(trader, { to, amount: available }, "drain-2");
    expect(all.status, all.text).toBe(202);
    const withdrawal = await settle(trader, String(all.body.id));
    expect(withdrawal).toMatchObject({ status: "CONFIRMED", feeLamports: "5000" });
    expect(env.sandbox.lamportsOf(trader.publicKey)).toBe(0n);
    expect(env.sandbox.lamportsOf(to)).toBe(999_995_000n);
  });

  it("an idempotent retry returns the same withdrawal and sends once; another body under the key is 409", async () => {
    const trader = await createTrader(env.sandbox, env.server.url, "retrier");
    const to = await freshAddress();
    const body = { to, amount: "100000000" };
    const [first, second] = await Promise.all([
      withdraw(trader, body, "retry-1"),
      withdraw(trader, body, "retry-1"),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    expect(first.body.id).toBe(second.body.id);
    const settled = await settle(trader, String(first.body.id));
    expect(settled.status).toBe("CONFIRMED");
    const again = await withdraw(trader, body, "retry-1");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, status: "CONFIRMED" });
    const conflict = await withdraw(trader, { to, amount: "100000001" }, "retry-1");
    expect(conflict.status).toBe(409);
    expect(codeOf(conflict)).toBe("IDEMPOTENCY_CONFLICT");
    expect(env.sandbox.lamportsOf(to)).toBe(100_000_000n);
    expect(env.sandbox.stack.sandbox.chain.getTransactionsForAddress(address(to))).toHaveLength(1);
    const list = await trader.get(`/v1/wallets/${trader.walletId}/withdrawals`);
    expect(list.body.withdrawals).toHaveLength(1);
  });

  it("keeps withdrawals private: another user gets 404, and a session of another wallet is refused", async () => {
    const owner = await createTrader(env.sandbox, env.server.url, "private-owner");
    const stranger = await createTrader(env.sandbox, env.server.url, "private-stranger");
    const sent = await withdraw(
      owner,
      { to: await freshAddress(), amount: "10000000" },
      "private-1",
    );
    expect(sent.status, sent.text).toBe(202);
    const id = String(sent.body.id);
    const seen = await stranger.get(`/v1/withdrawals/${id}`);
    expect(seen.status).toBe(404);
    expect(codeOf(seen)).toBe("WITHDRAWAL_NOT_FOUND");
    expect((await stranger.get(`/v1/wallets/${owner.walletId}/withdrawals`)).status).toBe(404);
    // The stranger's own session, on the owner's wallet: the wallet is not theirs.
    const onOwners = await http().call(
      "POST",
      `/v1/wallets/${owner.walletId}/withdrawals`,
      { to: stranger.publicKey, amount: "10000000" },
      { ...stranger.headers, "idempotency-key": "steal" },
    );
    expect(onOwners.status).toBe(404);
    // The owner's second wallet, with the first wallet's session.
    const second = await http().call(
      "POST",
      "/v1/wallets",
      { password: "wallet password" },
      { authorization: String(owner.headers.authorization) },
    );
    env.sandbox.stack.sandbox.chain.airdrop(address(String(second.body.publicKey)), 1_000_000_000n);
    const mismatch = await http().call(
      "POST",
      `/v1/wallets/${String(second.body.id)}/withdrawals`,
      { to: stranger.publicKey, amount: "10000000" },
      { ...owner.headers, "idempotency-key": "mismatch" },
    );
    expect(mismatch.status).toBe(403);
    expect(codeOf(mismatch)).toBe("SESSION_WALLET_MISMATCH");
    expect(
      changes.some(
        (c) =>
          c.withdrawal.id === id &&
          c.userId !== changes.find((d) => d.withdrawal.id === id)?.userId,
      ),
    ).toBe(false);
  });
});
