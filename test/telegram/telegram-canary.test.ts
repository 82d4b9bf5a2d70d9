import { execFileSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { address, getBase58Decoder } from "@solana/kit";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createCookieClient } from "../support/cookie-client.js";
import { POSTGRES_SKIP_REASON } from "../support/databases.js";
import { REDIS_SKIP_REASON } from "../support/kv-stores.js";
import { BOT_TOKEN, buttonData, chatUser, useTelegramApp } from "./support/telegram-setup.js";

// The canary with the bot running: a wallet key imported in the terminal and pasted into the
// chat, the login, session and one-time link tokens, and the bot token are hunted for in the
// logs, the PostgreSQL dump, every Redis value (the chat's sealed session hold among them) and
// every message the bot sent.

const redisUrl = process.env.TEST_REDIS_URL;
const skipReason =
  [POSTGRES_SKIP_REASON, REDIS_SKIP_REASON].filter((reason) => reason !== null).join("; ") || null;
const prefix = `osprey-tg-canary-${randomBytes(6).toString("hex")}:`;

describe.skipIf(skipReason !== null)(
  `Telegram secret canary (PostgreSQL + Redis)${skipReason ? ` — skipped: ${skipReason}` : ""}`,
  () => {
    const env = useTelegramApp({
      database: "postgres",
      env: { REDIS_URL: redisUrl ?? "", REDIS_PREFIX: prefix, LOG_LEVEL: "debug" },
    });

    it("finds no secret in logs, the database, Redis or the chat", async () => {
      const { privateKey, publicKey } = generateKeyPairSync("ed25519");
      const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
      const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
      const keypair = new Uint8Array([...seed, ...pub]);
      const base58 = getBase58Decoder().decode(keypair);

      const trader = chatUser(env, "Canary");
      const started = trader.say("/start");
      await trader.nextBotMessage(/Welcome/, started.message_id);
      const asked = trader.say("/unlock");
      const link = await trader.nextBotMessage(/#\/telegram\/otw_/, asked.message_id);
      const webLink = /#\/telegram\/(otw_[A-Za-z0-9_-]{43})/.exec(link.text ?? "")?.[1] ?? "";
      const web = createCookieClient(env.server.url);
      expect((await web.call("POST", "/v1/telegram/web-login", { token: webLink })).status).toBe(
        200,
      );
      const imported = await web.call("POST", "/v1/wallets/import", {
        password: "canary wallet pw",
        secretKey: base58,
      });
      expect(imported.status).toBe(201);
      env.sandbox.stack.sandbox.chain.airdrop(
        address(String(imported.body.publicKey)),
        2_000_000_000n,
      );
      const unlocked = await web.call("POST", `/v1/wallets/${imported.body.id}/unlock`, {
        password: "canary wallet pw",
      });
      const sessionToken = String(unlocked.body.sessionToken);
      expect((await web.call("POST", "/v1/telegram/session", {})).status).toBe(200);
      await trader.nextBotMessage(/unlocked for this chat/, link.message_id);
      const linkCode = await web.call("POST", "/v1/telegram/link-code", {});
      expect(linkCode.status).toBe(409);

      // Trade from the chat, and paste the key there (deleted).
      const mint = env.sandbox.stack.ready.mints.BONKY ?? "";
      const cardAsk = trader.say(mint);
      const card = await trader.nextBotMessage(/Safety:/, cardAsk.message_id);
      await trader.press(card, buttonData(card, /^Buy 0\.1 SOL$/));
      await trader.nextBotMessage(/Bought/, card.message_id);
      const pasted = trader.say(base58);
      await trader.nextBotMessage(/deleted it/, pasted.message_id);

      const hold = await env.server.app.kv.get(
        `telegram:chat-session:${(await env.server.app.store.telegram.findAccount(String(trader.user.id)))?.userId}`,
      );
      expect(hold).not.toBeNull();

      const secrets: Record<string, string> = {
        "wallet key (base58)": base58,
        "wallet key (hex)": Buffer.from(keypair).toString("hex"),
        "wallet key (base64)": Buffer.from(keypair).toString("base64"),
        "private half (base58)": getBase58Decoder().decode(seed),
        "session token": sessionToken,
        "session secret": sessionToken.split(".")[1] ?? "",
        "login token": web.jar.get("osprey_session") ?? "",
        "web link token": webLink,
        "bot token": BOT_TOKEN,
        "bot token secret": BOT_TOKEN.split(":")[1] ?? "",
      };
      const target = env.server.app.config.database;
      const databaseUrl = target.kind === "postgres" ? target.url : "";
      const dump = execFileSync("pg_dump", ["--no-owner", databaseUrl], { encoding: "utf8" });
      expect(dump).toContain("telegram_accounts");
      const redis = new Redis(redisUrl ?? "");
      const values: string[] = [];
      try {
        for (const key of await redis.keys(`${prefix}*`)) {
          const type = await redis.type(key);
          if (type === "string") values.push(`${key}=${await redis.get(key)}`);
          else if (type === "set") values.push(`${key}=${(await redis.smembers(key)).join(",")}`);
        }
      } finally {
        redis.disconnect();
      }
      expect(values.some((value) => value.includes("telegram:chat-session:"))).toBe(true);
      // The bot's messages, but the one that carried the (now used) web link.
      const chat = env.emulator
        .messages(trader.chat.id)
        .filter((message) => message.from?.is_bot && message.message_id !== link.message_id)
        .map((message) => message.text ?? "")
        .join("\n");
      const places = {
        logs: env.server.logs.text(),
        pg_dump: dump,
        redis: values.join("\n"),
        "bot messages": chat,
      };
      const leaks = Object.entries(places).flatMap(([where, text]) =>
        Object.entries(secrets)
          .filter(([, secret]) => secret.length > 0 && text.includes(secret))
          .map(([name]) => `${where} holds the ${name}`),
      );
      expect(leaks).toEqual([]);
    });
  },
);
