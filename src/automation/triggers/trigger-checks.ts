import type { UserId, WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { SafetyReport } from "../../safety/safety-types.js";
import type { Position } from "../../store/repositories/positions-repository.js";
import type { Store } from "../../store/store.js";
import { safetyRejection } from "../../trading/order-checks.js";
import { SOL_MINT } from "../../trading/price-client.js";
import { formatPriceUsd } from "./trigger-prices.js";
import type { TriggerRecord, TriggerType } from "./trigger-types.js";

/** What a trigger needs of the wallet's grant (the grant service's record fits). */
export interface TriggerGrant {
  readonly status: string;
  readonly maxOrderLamports: bigint;
  readonly orderTypes: readonly TriggerType[];
  readonly expiresAt: number;
}

const invalid = (path: string, message: string, context: Record<string, unknown> = {}) =>
  new OspreyError("INVALID_INPUT", message, { issues: [{ path, message }], ...context });

/** An ACTIVE, unexpired grant that allows this type and outlives the trigger. */
export function assertGrantAllows(
  grant: TriggerGrant | null,
  type: TriggerType,
  expiresAt: number,
  now: number,
): asserts grant is TriggerGrant {
  if (grant?.status !== "ACTIVE" || grant.expiresAt <= now)
    throw new OspreyError("GRANT_NOT_FOUND");
  if (!grant.orderTypes.includes(type))
    throw new OspreyError("GRANT_TYPE_NOT_ALLOWED", `The wallet's grant does not allow ${type}.`, {
      orderTypes: grant.orderTypes,
    });
  if (expiresAt > grant.expiresAt) {
    const limit = new Date(grant.expiresAt).toISOString();
    throw invalid("expiresAt", `expiresAt must not be after the grant's expiry (${limit}).`, {
      grantExpiresAt: limit,
    });
  }
}

/** A buy spends no more SOL per order than the grant allows. */
export function assertWithinOrderLimit(amountLamports: bigint, grant: TriggerGrant): void {
  if (amountLamports > grant.maxOrderLamports)
    throw new OspreyError(
      "GRANT_LIMIT_EXCEEDED",
      `amountLamports is above the grant's maximum per order (${grant.maxOrderLamports} lamports).`,
      { limit: "maxOrderLamports", maxOrderLamports: grant.maxOrderLamports.toString() },
    );
}

/** The order engine's own rule (src/trading/order-checks.ts), decided before anything is armed. */
export function assertSafeToBuy(report: SafetyReport, acceptRisk: boolean): void {
  const rejection = safetyRejection(
    report,
    { side: "buy", acceptRisk },
    "The token failed the safety checks; the trigger was not armed.",
  );
  if (rejection) throw rejection;
}

export function assertNotSol(mint: string): void {
  if (mint === SOL_MINT) throw invalid("mint", "mint must be a token, not SOL itself.");
}

/** A sell: the wallet holds the token, and a fixed amount is not above the holding. */
export async function getSellablePosition(
  store: Pick<Store, "positions">,
  walletId: WalletId,
  mint: string,
  amount: bigint | undefined,
): Promise<Position> {
  const position = await store.positions.get(walletId, mint);
  if (!position || position.amount <= 0n) throw new OspreyError("POSITION_NOT_FOUND");
  if (amount !== undefined && amount > position.amount)
    throw invalid("amount", `amount is above the holding (${position.amount} base units).`, {
      held: position.amount.toString(),
    });
  return position;
}

const OPPOSITE = { take_profit: "stop_loss", stop_loss: "take_profit" } as const;

/** The trigger a take-profit or stop-loss links to: the other kind, same wallet and mint, active. */
export async function getLinkTarget(
  store: Pick<Store, "triggers">,
  userId: UserId,
  request: { type: "take_profit" | "stop_loss"; walletId: string; mint: string; linkedTo: string },
): Promise<TriggerRecord> {
  const linked = await store.triggers.findForUser(userId, request.linkedTo);
  if (!linked) throw new OspreyError("TRIGGER_NOT_FOUND", "linkedTo names no trigger of yours.");
  if (linked.type !== OPPOSITE[request.type])
    throw invalid(
      "linkedTo",
      `linkedTo must be a ${OPPOSITE[request.type]} (it is a ${linked.type}).`,
    );
  if (linked.walletId !== request.walletId || linked.mint !== request.mint)
    throw invalid("linkedTo", "linkedTo must be a trigger on the same wallet and mint.");
  if (linked.status !== "ARMED" && linked.status !== "PAUSED")
    throw new OspreyError("TRIGGER_NOT_ACTIVE", "The linked trigger is no longer armed.", {
      status: linked.status,
    });
  return linked;
}

/** A take-profit at or below the price now (a stop-loss at or above it) would fire at once. */
export function assertNotCrossed(
  type: "take_profit" | "stop_loss",
  priceUsd: string,
  current: number | null,
) {
  if (current === null) return;
  const price = Number(priceUsd);
  const now = formatPriceUsd(current) ?? String(current);
  if (type === "take_profit" && price <= current)
    throw invalid(
      "priceUsd",
      `The take-profit price ${priceUsd} is not above the current price ${now}: it would sell at once.`,
      { currentPriceUsd: now },
    );
  if (type === "stop_loss" && price >= current)
    throw invalid(
      "priceUsd",
      `The stop-loss price ${priceUsd} is not below the current price ${now}: it would sell at once.`,
      { currentPriceUsd: now },
    );
}
