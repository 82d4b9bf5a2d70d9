import { OspreyError } from "../../core/osprey-error.js";
import type { PlannedAmounts } from "../../trading/order-engine.js";
import type { TriggerRecord } from "../triggers/trigger-types.js";

/** The order a firing places, as written in its firing row (POST /v1/orders' body). */
export interface FiringOrder {
  readonly request: Record<string, unknown>;
  /** SOL the order spends of the grant's limits: a buy's amount, 0 for a sell. */
  readonly spendLamports: bigint;
}

const SOL_DECIMALS = 9;
// Percentages carry two decimals: 12.34 % is 1234 / 10,000.
const PERCENT_SCALE = 10_000n;

/**
 * The exact order body for a trigger. A sell of a whole percentage is left to the engine; a
 * fractional one is sized here from the holding (`holding` reads the wallet's balance).
 */
export async function buildFiringOrder(
  trigger: TriggerRecord,
  holding: () => Promise<bigint>,
): Promise<FiringOrder> {
  const common = {
    mint: trigger.mint,
    ...(trigger.slippageBps === null ? {} : { slippageBps: trigger.slippageBps }),
  };
  const { params } = trigger;
  if (params.type === "limit_buy" || params.type === "dca") {
    const request = {
      side: "buy",
      ...common,
      amountLamports: params.amountLamports.toString(),
      ...(trigger.acceptRisk ? { acceptRisk: true } : {}),
    };
    return { request, spendLamports: params.amountLamports };
  }
  const { size } = params;
  if ("amount" in size)
    return {
      request: { side: "sell", ...common, amount: size.amount.toString() },
      spendLamports: 0n,
    };
  if (Number.isInteger(size.percent) && size.percent >= 1)
    return { request: { side: "sell", ...common, percent: size.percent }, spendLamports: 0n };
  const balance = await holding();
  const amount = (balance * BigInt(Math.round(size.percent * 100))) / PERCENT_SCALE;
  if (amount <= 0n) throw new OspreyError("POSITION_NOT_FOUND", "Nothing left to sell at firing.");
  return { request: { side: "sell", ...common, amount: amount.toString() }, spendLamports: 0n };
}

/** USD per whole token that the planned amounts give, with SOL at `solUsd`. */
export function executablePriceUsd(planned: PlannedAmounts, decimals: number, solUsd: number) {
  const lamports = planned.side === "sell" ? planned.quotedOut : planned.amountIn;
  const tokens = planned.side === "sell" ? planned.amountIn : planned.quotedOut;
  const sol = Number(lamports) / 10 ** SOL_DECIMALS;
  const whole = Number(tokens) / 10 ** decimals;
  return whole > 0 ? (sol * solUsd) / whole : Number.POSITIVE_INFINITY;
}

/** Whether the trigger's condition holds at `price` (the evaluator's rules, on one price). */
export function conditionHolds(trigger: TriggerRecord, price: number): boolean {
  const { params } = trigger;
  switch (params.type) {
    case "limit_buy":
    case "stop_loss":
      return price <= Number(trigger.triggerPrice);
    case "take_profit":
      return price >= Number(trigger.triggerPrice);
    case "trailing_stop":
      return price <= Number(trigger.highWaterPrice) * (1 - params.trailPercent / 100);
    case "dca":
      return (
        price >= Number(params.priceMinUsd ?? 0) &&
        price <= Number(params.priceMaxUsd ?? Number.POSITIVE_INFINITY)
      );
  }
}

/**
 * The order engine's guard: the condition re-checked on the executable price (the plan's
 * quote), so a thin pool cannot fire at a price nobody would pay. Nothing is written on a throw.
 */
export function executablePriceGuard(trigger: TriggerRecord, solUsd: number) {
  return (planned: PlannedAmounts): void => {
    const price = executablePriceUsd(planned, trigger.decimals, solUsd);
    if (!conditionHolds(trigger, price))
      throw new OspreyError("TRIGGER_PRICE_NOT_MET", undefined, {
        executablePriceUsd: String(price),
        triggerPriceUsd: trigger.triggerPrice ?? trigger.highWaterPrice,
      });
  };
}
