import { BotError, GrammyError, HttpError } from "grammy";
import { isOspreyError } from "../core/osprey-error.js";

/**
 * What may be logged of an error met in the bot. A Bot API error carries the call's payload
 * (the text sent: a one-time link, what a user typed) and a network error the request URL (with
 * the bot token): neither goes in the log, only the method, Telegram's code and its description.
 */
export function describeTelegramError(error: unknown): Record<string, unknown> {
  if (error instanceof BotError) return describeTelegramError(error.error);
  if (error instanceof GrammyError)
    return {
      type: "GrammyError",
      method: error.method,
      code: error.error_code,
      description: error.description,
    };
  if (error instanceof HttpError) return { type: "HttpError", message: error.message };
  if (isOspreyError(error))
    return { type: "OspreyError", code: error.code, message: error.message };
  if (error instanceof Error)
    return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}
