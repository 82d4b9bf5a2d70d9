import { useCallback, useState } from "preact/hooks";
import { api, type TelegramChatSession, type TelegramStatus } from "./api.js";

/** The part of the app's one store that holds the user's Telegram link (GET /v1/telegram). */
export interface TelegramStore {
  /** Null until first read, or when the server could not say. */
  telegram: TelegramStatus | null;
  /** Reads it again; the error is the caller's to show. */
  reloadTelegram(): Promise<TelegramStatus>;
  /** What POST /v1/telegram/session answered: the chat now holds this session. */
  setTelegramChatSession(chatSession: TelegramChatSession | null): void;
}

export function useTelegramStore(): TelegramStore {
  const [telegram, setTelegram] = useState<TelegramStatus | null>(null);
  const reloadTelegram = useCallback(async () => {
    const status = await api.telegram();
    setTelegram(status);
    return status;
  }, []);
  const setTelegramChatSession = useCallback((chatSession: TelegramChatSession | null) => {
    setTelegram((old) => (old ? { ...old, chatSession } : old));
  }, []);
  return { telegram, reloadTelegram, setTelegramChatSession };
}

const OPENED_FROM_TELEGRAM = "osprey.openedFromTelegram";

/**
 * Remembers, for this tab only (sessionStorage), that the bot's one-time link logged this user
 * in: unlocking here then hands the session to the chat without asking.
 */
export function markOpenedFromTelegram(userId: string): void {
  try {
    sessionStorage.setItem(OPENED_FROM_TELEGRAM, userId);
  } catch {
    // Storage refused (a private window's quota): the user gets the button instead.
  }
}

export function isOpenedFromTelegram(userId: string): boolean {
  try {
    return sessionStorage.getItem(OPENED_FROM_TELEGRAM) === userId;
  } catch {
    return false;
  }
}
