import { isTerminalStatus, TERMINAL_STATUSES } from "./write-ahead-lifecycle.js";

/** The write-ahead order lifecycle (docs/ARCHITECTURE.md, "An order, write-ahead"). */
export const ORDER_STATUSES = [
  "PENDING",
  "QUOTED",
  "SIGNED",
  "SUBMITTED",
  "CONFIRMED",
  "FAILED",
  "EXPIRED",
  "REJECTED",
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = TERMINAL_STATUSES;

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === "string" && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return isTerminalStatus(status);
}
