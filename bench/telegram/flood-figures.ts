import type { CallRecord } from "../../test/telegram/support/bot-api-emulator.js";

/** The calls Telegram counts against a bot's flood limits (the emulator checks these). */
const MESSAGE_METHODS = new Set(["sendMessage", "editMessageText", "editMessageReplyMarkup"]);

/** The most timestamps (sorted, ms) in any window of `windowMs`, as the emulator's check counts. */
export function maxInWindow(sorted: readonly number[], windowMs = 1_000): number {
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/**
 * What the bot sent between `from` and `to` (ms), read from the emulator's call log: the messages
 * Telegram accepted, the most in any sliding second in all and in one chat, the 429s it answered
 * (any method), and the edits it refused with a 400 ("message is not modified", the one the
 * bot makes: a call that took a throttle slot for nothing).
 */
export function getFloodFigures(
  calls: readonly CallRecord[],
  from = 0,
  to = Number.POSITIVE_INFINITY,
) {
  const within = calls.filter((call) => call.at >= from && call.at <= to);
  const messages = within.filter((call) => call.ok && MESSAGE_METHODS.has(call.method));
  const byChat = new Map<number, number[]>();
  for (const call of messages) {
    const list = byChat.get(call.chatId ?? 0) ?? [];
    list.push(call.at);
    byChat.set(call.chatId ?? 0, list);
  }
  let maxPerChat = 0;
  for (const times of byChat.values())
    maxPerChat = Math.max(maxPerChat, maxInWindow(times.sort((a, b) => a - b)));
  return {
    messages: messages.length,
    chats: byChat.size,
    maxGlobalPerSecond: maxInWindow(messages.map((call) => call.at).sort((a, b) => a - b)),
    maxPerChatPerSecond: maxPerChat,
    tooManyRequests: within.filter((call) => call.errorCode === 429).length,
    editsRefused: within.filter(
      (call) => !call.ok && call.errorCode === 400 && call.method.startsWith("editMessage"),
    ).length,
  };
}

export type FloodFigures = ReturnType<typeof getFloodFigures>;
