import { randomBytes } from "node:crypto";
import { OspreyError } from "./osprey-error.js";

declare const userIdBrand: unique symbol;
declare const walletIdBrand: unique symbol;
declare const orderIdBrand: unique symbol;

export type UserId = string & { readonly [userIdBrand]: true };
export type WalletId = string & { readonly [walletIdBrand]: true };
export type OrderId = string & { readonly [orderIdBrand]: true };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A UUIDv7: time-ordered, so new rows land at the end of B-tree indexes. */
export function createUuidV7(
  now: number = Date.now(),
  random: Uint8Array = randomBytes(10),
): string {
  const bytes = new Uint8Array(16);
  let ms = BigInt(now);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = Buffer.from(bytes).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function idGuards<T extends string>(kind: string) {
  const is = (value: unknown): value is T => isUuid(value);
  function assertIs(value: unknown): asserts value is T {
    if (!is(value)) throw new OspreyError("INVALID_ID", `Not a valid ${kind} id.`, { kind });
  }
  const from = (value: string): T => {
    assertIs(value);
    return value;
  };
  return { is, assertIs, from };
}

const user = idGuards<UserId>("user");
const wallet = idGuards<WalletId>("wallet");
const order = idGuards<OrderId>("order");

export const isUserId = user.is;
export const assertIsUserId: (value: unknown) => asserts value is UserId = user.assertIs;
export const userId = user.from;
export const isWalletId = wallet.is;
export const assertIsWalletId: (value: unknown) => asserts value is WalletId = wallet.assertIs;
export const walletId = wallet.from;
export const isOrderId = order.is;
export const assertIsOrderId: (value: unknown) => asserts value is OrderId = order.assertIs;
export const orderId = order.from;
