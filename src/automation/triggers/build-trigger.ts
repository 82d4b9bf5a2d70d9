import type { UserId, WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { TokenAnalyzer } from "../../safety/index.js";
import type { Store } from "../../store/store.js";
import {
  assertNotCrossed,
  assertNotSol,
  assertSafeToBuy,
  assertWithinOrderLimit,
  getLinkTarget,
  getSellablePosition,
  type TriggerGrant,
} from "./trigger-checks.js";
import { formatPriceUsd, priceFromAverageCost } from "./trigger-prices.js";
import type { TriggerRequest } from "./trigger-request.js";
import type { NewTrigger, SellSize } from "./trigger-types.js";

export interface BuildTriggerDeps {
  readonly store: Pick<Store, "positions" | "triggers">;
  readonly analyzer: Pick<TokenAnalyzer, "analyzeToken">;
  /** USD per whole token now, or null when the price API has none. */
  getUsdPrice(mint: string): Promise<number | null>;
  /** The mint's decimals, read from the chain. */
  getDecimals(mint: string): Promise<number>;
}

/** What create() writes: the new row, and the trigger it links to (one cancels the other). */
export interface BuiltTrigger {
  readonly input: NewTrigger;
  readonly linkedTo?: string;
}

const sizeOf = (request: {
  percent?: number | undefined;
  amount?: bigint | undefined;
}): SellSize =>
  request.amount !== undefined ? { amount: request.amount } : { percent: request.percent ?? 100 };

const unavailable = (message: string) => new OspreyError("PRICE_UNAVAILABLE", message);

/**
 * Checks what only the chain, the store and the price API can tell (grant already checked), and
 * turns a valid request into the row to write. Throws, writing nothing, on every refusal.
 */
export async function buildTrigger(
  deps: BuildTriggerDeps,
  context: { userId: UserId; grant: TriggerGrant; expiresAt: number; now: number },
  request: TriggerRequest,
): Promise<BuiltTrigger> {
  const { userId, grant, now } = context;
  const walletId = request.walletId as WalletId;
  assertNotSol(request.mint);
  const base = {
    userId,
    walletId,
    mint: request.mint,
    triggerPrice: null,
    highWaterPrice: null,
    ocoGroup: null,
    acceptRisk: false,
    nextDueAt: null,
    expiresAt: context.expiresAt,
    slippageBps: request.slippageBps ?? null,
  };
  switch (request.type) {
    case "limit_buy":
    case "dca": {
      assertWithinOrderLimit(request.amountLamports, grant);
      const report = await deps.analyzer.analyzeToken(request.mint, {
        buyLamports: request.amountLamports,
      });
      assertSafeToBuy(report, request.acceptRisk);
      const buy = { ...base, decimals: report.decimals, acceptRisk: request.acceptRisk };
      if (request.type === "limit_buy") {
        const params = {
          type: "limit_buy",
          amountLamports: request.amountLamports,
          priceUsd: request.priceUsd,
        } as const;
        return { input: { ...buy, type: "limit_buy", params, triggerPrice: request.priceUsd } };
      }
      const { amountLamports, count, priceMinUsd, priceMaxUsd } = request;
      const params = {
        type: "dca",
        amountLamports,
        intervalMs: request.intervalSeconds * 1000,
        count,
        ...(priceMinUsd === undefined ? {} : { priceMinUsd }),
        ...(priceMaxUsd === undefined ? {} : { priceMaxUsd }),
      } as const;
      // The first buy is due at once; the next ones every interval after it.
      return { input: { ...buy, type: "dca", params, nextDueAt: now } };
    }
    case "take_profit":
    case "stop_loss": {
      const linked = request.linkedTo
        ? await getLinkTarget(deps.store, userId, { ...request, linkedTo: request.linkedTo })
        : undefined;
      const position = await getSellablePosition(
        deps.store,
        walletId,
        request.mint,
        request.amount,
      );
      const [decimals, current] = await Promise.all([
        deps.getDecimals(request.mint),
        deps.getUsdPrice(request.mint).catch(() => null),
      ]);
      const direction = request.type === "take_profit" ? "above" : "below";
      const priceUsd =
        request.priceUsd ??
        priceFromAverageCost(position, decimals, request.changePercent ?? 0, direction);
      if (priceUsd === null)
        throw unavailable("The position has no average cost in USD to set a relative price from.");
      assertNotCrossed(request.type, priceUsd, current);
      const params = {
        type: request.type,
        size: sizeOf(request),
        priceUsd,
        ...(request.changePercent === undefined ? {} : { changePercent: request.changePercent }),
      };
      const input = { ...base, type: request.type, decimals, params, triggerPrice: priceUsd };
      return linked ? { input, linkedTo: linked.id } : { input };
    }
    case "trailing_stop": {
      await getSellablePosition(deps.store, walletId, request.mint, request.amount);
      const [decimals, current] = await Promise.all([
        deps.getDecimals(request.mint),
        deps.getUsdPrice(request.mint).catch(() => null),
      ]);
      // The high-water mark starts at the price when armed.
      const highWaterPrice = current === null ? null : formatPriceUsd(current);
      if (highWaterPrice === null) throw unavailable("No price for this token to trail from.");
      const params = {
        type: "trailing_stop",
        size: sizeOf(request),
        trailPercent: request.trailPercent,
      } as const;
      return { input: { ...base, type: "trailing_stop", decimals, params, highWaterPrice } };
    }
    default:
      return request satisfies never;
  }
}
