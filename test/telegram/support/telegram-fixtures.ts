import type { EmulatedMessage } from "./bot-api-emulator.js";

// What the Telegram tests and bench/telegram share, without vitest (the bench runs under tsx).

/** A token in @BotFather's shape (the config refuses anything else). */
export const BOT_TOKEN = "7000000001:AAHtestTokenForOspreyBot_0123456789";

/** A button's callback data on a message, by its label. */
export function buttonData(message: EmulatedMessage, label: RegExp): string {
  for (const row of message.reply_markup?.inline_keyboard ?? [])
    for (const button of row)
      if (label.test(button.text) && button.callback_data) return button.callback_data;
  throw new Error(`no button ${label} on: ${message.text}`);
}
