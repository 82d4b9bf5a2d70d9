import type { SendLog } from "../../src/sandbox/index.js";
import { createDatabase } from "../../src/store/database.js";
import type { CallRecord } from "../../test/telegram/support/bot-api-emulator.js";
import type { ChatTrader } from "./chat-traders.js";

/** One press: who, when, and the idempotency key its order carries (`tg:<chat>:<card>:<data>`). */
export interface Press {
  readonly trader: ChatTrader;
  readonly callbackId: string;
  readonly pressedAt: number;
  readonly key: string;
}

export interface ChatOrderRow {
  readonly signature: string | null;
  /** When the order row was written: its plan (analysis, quote, build) done. */
  readonly createdAt: number;
}

/** The orders the server wrote (its SQLite file, the server stopped), by idempotency key. */
export async function readChatOrders(path: string): Promise<Map<string, ChatOrderRow>> {
  const database = await createDatabase({ kind: "sqlite", path }, { migrate: false });
  try {
    const rows = await database.db
      .selectFrom("orders")
      .select(["idempotencyKey", "signature", "createdAt"])
      .execute();
    return new Map(
      rows.map((row) => [
        row.idempotencyKey,
        { signature: row.signature ?? null, createdAt: Number(row.createdAt) },
      ]),
    );
  } finally {
    await database.close();
  }
}

/**
 * Where each press's time went, all on this machine's clock: from the press handed to the bot
 * (the getUpdates answer carrying it) and from the press itself to the first send the sandbox
 * received of its order's transaction; to the order row written; to its "⏳" status message.
 */
export function measurePresses(
  presses: readonly Press[],
  deps: {
    readonly orders: ReadonlyMap<string, ChatOrderRow>;
    readonly sendLog: SendLog;
    readonly handedAt: (callbackId: string) => number | undefined;
    readonly calls: readonly CallRecord[];
  },
) {
  const handed: number[] = [];
  const fromPress: number[] = [];
  const written: number[] = [];
  const statusSent: number[] = [];
  let missing = 0;
  let unsent = 0;
  for (const press of presses) {
    const order = deps.orders.get(press.key);
    if (!order) {
      missing++;
      continue;
    }
    const at = deps.handedAt(press.callbackId) ?? Number.NaN;
    const sends = order.signature ? deps.sendLog.list({ signature: order.signature }) : [];
    if (sends.length === 0) unsent++;
    else {
      const first = Math.min(...sends.map((send) => send.at));
      handed.push(first - at);
      fromPress.push(first - press.pressedAt);
    }
    written.push(order.createdAt - at);
    const status = deps.calls.find(
      (call) =>
        call.method === "sendMessage" &&
        call.ok &&
        call.chatId === press.trader.chat.id &&
        call.at >= press.pressedAt,
    );
    if (status) statusSent.push(status.at - at);
  }
  return { handed, fromPress, written, statusSent, missing, unsent };
}
