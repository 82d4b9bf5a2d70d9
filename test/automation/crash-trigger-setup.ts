import { generateKeyPairSync } from "node:crypto";
import { address, getBase58Decoder } from "@solana/kit";
import { callRetrying, type Json } from "../trading/crash-harness.js";
import type { AutomationCrashHarness } from "./crash-automation-harness.js";
import { currentPriceUsd } from "./support/market-mover.js";

export const WALLET_PASSWORD = "wallet password of a crash test";
/** Trigger prices, as fractions of the price when armed: the walk down crosses them one by one. */
export const LEVELS = [0.97, 0.95, 0.93, 0.91, 0.89, 0.87, 0.85, 0.83, 0.81];

/** A wallet of the crash tests: imported (so the test knows its secret, for the log check). */
export interface CrashWallet {
  readonly user: string;
  readonly auth: Record<string, string>;
  readonly walletId: string;
  readonly publicKey: string;
  readonly secretKey: string;
  /** Its airdrops: the only transactions on chain that are no order's. */
  readonly airdrops: Set<string>;
  readonly triggerIds: string[];
}

/** A fresh ed25519 keypair as Solana's 64-byte secret key in base58. */
function newSecretKey(): string {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return getBase58Decoder().decode(new Uint8Array([...seed, ...pub]));
}

/** Decimal text for a USD price (the API takes no exponent), 8 significant digits. */
export function usdText(usd: number): string {
  const places = Math.min(18, Math.max(2, 7 - Math.floor(Math.log10(usd))));
  return usd.toFixed(places);
}

/** The answer's body when its status is `status`; otherwise a throw saying what came instead. */
async function ok(reply: Promise<{ status: number; body: Json }>, status: number, what: string) {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`${what}: ${got} ${JSON.stringify(body)}`);
  return body;
}

/**
 * `users` users with `walletsEach` wallets each: imported, funded with 20 SOL, granted automation
 * for limit buys, and armed with `perWallet` limit buys on `mints` in turn, priced at LEVELS below
 * the current price. Everything through `api`, as a client would.
 */
export async function armLimitBuys(
  harness: AutomationCrashHarness,
  api: string,
  plan: {
    users: number;
    walletsEach: number;
    perWallet: number;
    mints: string[];
    /** Trigger prices as fractions of the current price, in turn (default LEVELS). */
    levels?: readonly number[];
  },
): Promise<CrashWallet[]> {
  const wallets: CrashWallet[] = [];
  const start = new Map(plan.mints.map((mint) => [mint, currentPriceUsd(harness.stack, mint)]));
  const call = (method: string, path: string, body: unknown, auth: Record<string, string>) =>
    callRetrying(api, method, path, body, auth);
  // Users arm at once (as real ones would), each wallet after the other.
  const armUser = async (u: number) => {
    const username = `crash-trigger-${u}`;
    const password = `${username} password`;
    await call("POST", "/v1/auth/register", { username, password }, {});
    const login = await ok(
      call("POST", "/v1/auth/login", { username, password }, {}),
      200,
      "login",
    );
    const auth = { authorization: `Bearer ${String(login.token)}` };
    for (let w = 0; w < plan.walletsEach; w++) {
      const secretKey = newSecretKey();
      const body = { password: WALLET_PASSWORD, secretKey, label: `w${w}` };
      const made = await ok(call("POST", "/v1/wallets/import", body, auth), 201, "import");
      const publicKey = String(made.publicKey);
      const walletId = String(made.id);
      const airdrop = harness.stack.sandbox.chain.airdrop(address(publicKey), 20_000_000_000n);
      const grant = {
        password: WALLET_PASSWORD,
        maxOrderLamports: "1000000000",
        maxDailyLamports: "100000000000",
        orderTypes: ["limit_buy"],
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      await ok(call("POST", `/v1/wallets/${walletId}/automation`, grant, auth), 201, "grant");
      const wallet: CrashWallet = {
        user: username,
        auth,
        walletId,
        publicKey,
        secretKey,
        airdrops: new Set([String(airdrop)]),
        triggerIds: [],
      };
      for (let n = 0; n < plan.perWallet; n++) {
        const mint = plan.mints[n % plan.mints.length] ?? "";
        const levels = plan.levels ?? LEVELS;
        const level = levels[Math.floor(n / plan.mints.length) % levels.length] ?? 0.9;
        const trigger = {
          type: "limit_buy",
          walletId,
          mint,
          amountLamports: String(20_000_000 + u * 10_000 + w * 1_000 + n),
          priceUsd: usdText((start.get(mint) ?? 0) * level),
          slippageBps: 3000,
        };
        const armed = await ok(call("POST", "/v1/triggers", trigger, auth), 201, "trigger");
        if (armed.status !== "ARMED")
          throw new Error(`trigger not armed: ${JSON.stringify(armed)}`);
        wallet.triggerIds.push(String(armed.id));
      }
      wallets.push(wallet);
    }
  };
  await Promise.all(Array.from({ length: plan.users }, (_, u) => armUser(u)));
  return wallets;
}
