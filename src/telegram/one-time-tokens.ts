import { createSecretToken, hashSecretToken } from "../accounts/secret-token.js";
import type { Clock } from "../core/clock.js";
import type { UserId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type {
  TelegramRepository,
  TelegramTokenKind,
  TelegramTokenRecord,
} from "../store/repositories/telegram-repository.js";

const PREFIX = { link_code: "otl", web_link: "otw" } as const;

export interface TelegramTokensDeps {
  readonly telegram: Pick<TelegramRepository, "createToken" | "consumeToken" | "revokeTokens">;
  readonly clock: Clock;
  readonly randomBytes?: (n: number) => Uint8Array;
}

/**
 * The one-time tokens between the bot and the web terminal: a link code a web user gives the
 * bot, and a short-lived link the bot sends to open the terminal. The token is shown once and
 * stored only as its hash; a new one of a kind ends the user's unused ones; each is used once.
 */
export function createTelegramTokens(deps: TelegramTokensDeps) {
  return {
    async issue(input: {
      kind: TelegramTokenKind;
      userId: UserId;
      telegramUserId: string | null;
      ttlMs: number;
    }): Promise<{ token: string; expiresAt: number }> {
      const token = createSecretToken(PREFIX[input.kind], deps.randomBytes);
      const expiresAt = deps.clock.now() + input.ttlMs;
      await deps.telegram.revokeTokens(input.userId, input.kind);
      await deps.telegram.createToken({
        kind: input.kind,
        tokenHash: hashSecretToken(token),
        userId: input.userId,
        telegramUserId: input.telegramUserId,
        expiresAt,
      });
      return { token, expiresAt };
    },

    /** The token's record, once; TELEGRAM_TOKEN_INVALID for anything else. */
    async redeem(kind: TelegramTokenKind, token: string): Promise<TelegramTokenRecord> {
      const wellFormed = new RegExp(`^${PREFIX[kind]}_[A-Za-z0-9_-]{43}$`).test(token);
      const record = wellFormed
        ? await deps.telegram.consumeToken(kind, hashSecretToken(token))
        : undefined;
      if (!record) throw new OspreyError("TELEGRAM_TOKEN_INVALID");
      return record;
    },
  };
}

export type TelegramTokens = ReturnType<typeof createTelegramTokens>;
