import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { type OspreyProcess, spawnOsprey } from "../support/spawn-osprey.js";
import { type BotApiEmulator, startBotApiEmulator } from "./support/bot-api-emulator.js";
import { BOT_TOKEN } from "./support/telegram-setup.js";

// `osprey serve` (what `npm start` runs) with TELEGRAM_BOT_TOKEN: the bot starts beside the
// API on the embedded sandbox, answers a chat, and stops with the process.

describe("osprey serve with TELEGRAM_BOT_TOKEN", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-serve-tg-"));
  let emulator: BotApiEmulator;
  let osprey: OspreyProcess;
  let ready: Record<string, unknown>;

  beforeAll(async () => {
    emulator = await startBotApiEmulator({ token: BOT_TOKEN });
    osprey = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: emulator.apiRoot,
      ...ARGON2_FLOOR_ENV,
    });
    ready = await osprey.ready;
  }, 120_000);
  afterAll(async () => {
    if (osprey.child.exitCode === null) osprey.child.kill("SIGTERM");
    await osprey.exited();
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts the bot: its commands are set and a chat gets answers", async () => {
    const commands = emulator.calls.find((call) => call.method === "setMyCommands");
    expect(JSON.stringify(commands?.params)).toContain("unlock");
    const { user, chat } = emulator.createUser("Serve", "serve_user");
    emulator.say(user, "/start");
    const welcome = await emulator.waitFor(
      () => emulator.botMessages(chat.id).find((m) => /Welcome to Osprey/.test(m.text ?? "")),
      30_000,
      "the welcome",
    );
    expect(welcome.text).toContain("/unlock");
    const mint = String((ready.mints as Record<string, string>).BONKY);
    emulator.say(user, mint);
    const card = await emulator.waitFor(
      () => emulator.botMessages(chat.id).find((m) => /Safety: ok/.test(m.text ?? "")),
      30_000,
      "the card",
    );
    expect(card.text).toContain(mint);
    emulator.say(user, "/unlock");
    const link = await emulator.waitFor(
      () => emulator.botMessages(chat.id).find((m) => /#\/telegram\/otw_/.test(m.text ?? "")),
      30_000,
      "the unlock link",
    );
    // The link points at the terminal this process serves.
    expect(link.text).toContain(`${String(ready.api)}/#/telegram/otw_`);
  }, 90_000);

  it("stops polling on SIGTERM and logs no bot token", async () => {
    osprey.child.kill("SIGTERM");
    expect(await osprey.exited()).toBe(0);
    expect(osprey.stderr()).not.toContain(BOT_TOKEN.split(":")[1]);
    const polls = emulator.calls.filter((call) => call.method === "getUpdates").length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emulator.calls.filter((call) => call.method === "getUpdates").length).toBe(polls);
  });
});
