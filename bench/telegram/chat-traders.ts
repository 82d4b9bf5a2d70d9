import { createCookieClient } from "../../test/support/cookie-client.js";
import type {
  BotApiEmulator,
  EmulatedChat,
  EmulatedMessage,
  EmulatedUser,
} from "../../test/telegram/support/bot-api-emulator.js";

/** A simulated Telegram user with a linked account, an unlocked wallet and a token card. */
export interface ChatTrader {
  readonly user: EmulatedUser;
  readonly chat: EmulatedChat;
  /** The token this trader's card shows. */
  readonly mint: string;
  /**
   * Where the trader's browser connects from, as the reverse proxy in front of the terminal says
   * (X-Forwarded-For, the server trusting loopback): each user their own, as in real life, so the
   * per-address limits of the web routes count users apart.
   */
  readonly webAddress: string;
  card: EmulatedMessage | null;
}

const WAIT_MS = 60_000;

/** The bot's first message in the trader's chat after message `after` whose text matches. */
export function nextBotMessage(
  emulator: BotApiEmulator,
  chat: EmulatedChat,
  match: RegExp,
  after: number,
): Promise<EmulatedMessage> {
  return emulator
    .waitFor(
      () =>
        emulator.botMessages(chat.id).find((m) => m.message_id > after && match.test(m.text ?? "")),
      WAIT_MS,
      `a bot message matching ${match} in chat ${chat.id}`,
    )
    .catch((error: unknown) => {
      const said = emulator
        .messages(chat.id)
        .map((m) => `${m.from?.is_bot ? "bot" : "user"}: ${(m.text ?? "").slice(0, 100)}`);
      throw new Error(`${(error as Error).message}; the chat: ${JSON.stringify(said)}`);
    });
}

/** `count` users, each with a private chat with the bot, their cards spread over `mints`. */
export function createChatTraders(
  emulator: BotApiEmulator,
  count: number,
  mints: readonly string[],
): ChatTrader[] {
  return Array.from({ length: count }, (_, i) => {
    const { user, chat } = emulator.createUser(`Trader${i}`, `trader${i}`);
    return {
      user,
      chat,
      mint: mints[i % mints.length] as string,
      webAddress: `10.${(i >> 8) & 255}.${i & 255}.1`,
      card: null,
    };
  });
}

/**
 * Every trader sends /start at once; resolves when each has been welcomed (account made), with
 * the other answers they got first. A trader told to retry sends /start again a second later,
 * as a user would (at most five times).
 */
export async function startChats(
  emulator: BotApiEmulator,
  traders: readonly ChatTrader[],
): Promise<{ refusals: string[] }> {
  const refusals: string[] = [];
  await Promise.all(
    traders.map(async (t) => {
      for (let attempt = 1; ; attempt++) {
        const sent = emulator.say(t.user, "/start");
        const answer = await nextBotMessage(emulator, t.chat, /./, sent.message_id);
        if (/Welcome/.test(answer.text ?? "")) return;
        refusals.push(answer.text ?? "");
        if (attempt === 5) throw new Error(`/start refused five times: ${answer.text}`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }),
  );
  return { refusals };
}

/**
 * What each trader does after /unlock (as test/telegram/support/telegram-setup.ts's
 * unlockThroughWeb): opens the one-time link in the web terminal, creates a wallet, has it
 * funded, unlocks it and hands the session to the chat. `concurrency` traders at a time.
 */
export async function unlockChats(
  emulator: BotApiEmulator,
  traders: readonly ChatTrader[],
  options: {
    readonly apiUrl: string;
    readonly fund: (publicKey: string) => void;
    readonly concurrency: number;
  },
) {
  await forEachLimited(traders, options.concurrency, async (trader) => {
    const asked = emulator.say(trader.user, "/unlock");
    const link = await nextBotMessage(emulator, trader.chat, /#\/telegram\/otw_/, asked.message_id);
    const token = /#\/telegram\/(otw_[A-Za-z0-9_-]{43})/.exec(link.text ?? "")?.[1] ?? "";
    const client = createCookieClient(options.apiUrl);
    const from = { "x-forwarded-for": trader.webAddress };
    const web = (method: string, path: string, body: unknown) =>
      client.call(method, path, body, from);
    const login = await web("POST", "/v1/telegram/web-login", { token });
    if (login.status !== 200) throw new Error(`web login refused: ${login.text}`);
    const wallet = await web("POST", "/v1/wallets", { password: "wallet password" });
    if (wallet.status >= 300) throw new Error(`wallet not created: ${wallet.text}`);
    options.fund(String(wallet.body.publicKey));
    const unlocked = await web("POST", `/v1/wallets/${String(wallet.body.id)}/unlock`, {
      password: "wallet password",
    });
    if (unlocked.status !== 200) throw new Error(`unlock refused: ${unlocked.text}`);
    const handed = await web("POST", "/v1/telegram/session", {});
    if (handed.status !== 200) throw new Error(`handoff refused: ${handed.text}`);
    await nextBotMessage(emulator, trader.chat, /unlocked for this chat/, link.message_id);
  });
}

/** Every trader pastes their token at once; resolves when each has its card. */
export async function requestCards(emulator: BotApiEmulator, traders: ChatTrader[]) {
  const sent = traders.map((t) => emulator.say(t.user, t.mint));
  await Promise.all(
    traders.map(async (t, i) => {
      t.card = await nextBotMessage(emulator, t.chat, /Safety:/, sent[i]?.message_id ?? 0);
    }),
  );
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
