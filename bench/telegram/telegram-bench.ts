/**
 * The Telegram bot (issue 21): from a button press reaching the bot to its order's first send, and
 * whether the bot stays under Telegram's flood limits when 200 users press at once.
 *
 * `osprey serve` (a child process, argon2 at OWASP's floor) with TELEGRAM_BOT_TOKEN set polls the
 * Bot API emulator (test/telegram/support/bot-api-emulator.ts, Telegram's limits: 30 messages a
 * second in all, a burst of 3 then 1 a second per chat; 429 with retry_after beyond them) through
 * a proxy that notes when each press is handed to the bot (updates-proxy.ts). The chain and swap
 * API are the sandbox in this process, whose send log says when a transaction first arrived.
 * Every user is made as a user would: /start, /unlock, the one-time link opened in the web
 * terminal (wallet created, funded, unlocked, session handed to the chat), then a token pasted
 * for its card; cards are spread over the sandbox's four healthy tokens.
 *
 * (a) One press at a time: `presses` users each press "Buy 0.5 SOL" in turn, the next once the
 *     last one's status message is final and 100 ms have passed (an idle bot each time). From
 *     the getUpdates answer carrying the press to the first send the sandbox received of its
 *     order's transaction. The first half press within 10 s of a press on the same token (the
 *     bot's safety report for it still cached); the second half wait until 11 s have passed
 *     since, as a user who reads the card before buying (the bot analyses the token again
 *     before it starts the order).
 * (b) `users` users press "Buy 0.1 SOL" at the same moment: orders placed (one each), time until
 *     every status message is final, the emulator's 429 answers, the most messages the bot sent
 *     in any sliding second (in all, ≤ 30; in one chat, ≤ 3), and press → first send under the
 *     burst, both from the press handed to the bot and from the press itself (an update waits at
 *     Telegram while the bot works through the batch before it).
 * Exits 1 when a limit is broken (anywhere in the run, setup included), an order is missing or
 * a status message never became final. BENCH_TRACE=1 also prints, for the first five presses of
 * (a), the RPC and swap API requests the server made before the first send (through recording
 * proxies, which add a little to every request: leave it off for the figures).
 *
 * Run: npm run bench:telegram -- [presses=50] [users=200]
 *   (or npx tsx bench/telegram.ts [presses] [users])
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { address, generateKeyPairSigner } from "@solana/kit";
import { startSandboxStack } from "../../src/cli/start-sandbox-stack.js";
import { ARGON2_FLOOR_ENV } from "../../test/support/argon2-floor.js";
import { spawnOsprey } from "../../test/support/spawn-osprey.js";
import { startBotApiEmulator } from "../../test/telegram/support/bot-api-emulator.js";
import { BOT_TOKEN, buttonData } from "../../test/telegram/support/telegram-fixtures.js";
import {
  type ChatTrader,
  createChatTraders,
  nextBotMessage,
  requestCards,
  startChats,
  unlockChats,
} from "./chat-traders.js";
import { type FloodFigures, getFloodFigures } from "./flood-figures.js";
import { measurePresses, type Press, readChatOrders } from "./press-latency.js";
import { startRequestTrace } from "./request-trace.js";
import { startUpdatesProxy } from "./updates-proxy.js";

const PRESSES = Number(process.argv[2] ?? 50);
const USERS = Math.max(Number(process.argv[3] ?? 200), PRESSES);
const HEALTHY = ["BONKY", "WIFY", "POPY", "GLIDE"];
/** What the emulator allows (its defaults, Telegram's documented limits). */
const LIMITS = { globalPerSecond: 30, chatInAnySecond: 3 };
const FINAL = /^[✅❌]/u;
const TRACE = process.env.BENCH_TRACE === "1";
/** Past the safety report cache (SAFETY_CACHE_MS, 10 s by default) since the token's last press. */
const COLD_AFTER_MS = 11_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
const ms = (value: number) => `${Math.round(value)} ms`;
const s = (value: number) => `${(value / 1_000).toFixed(1)} s`;
const p50 = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const spread = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${ms(percentile(sorted, 50))}, p99 ${ms(percentile(sorted, 99))}, max ${ms(sorted.at(-1) ?? Number.NaN)}`;
};

const emulator = await startBotApiEmulator({ token: BOT_TOKEN });
const proxy = await startUpdatesProxy(emulator.apiRoot);
const feeWallet = (await generateKeyPairSigner()).address;
const stack = await startSandboxStack({ port: 0, slotMs: 100, feeWallets: [feeWallet] });
const dataDir = mkdtempSync(join(tmpdir(), "osprey-bench-telegram-"));
// BENCH_TRACE=1: the server reaches the RPC and the swap API through recording proxies.
const rpcTrace = TRACE ? await startRequestTrace(stack.ready.rpc[0] ?? "") : null;
const apiTrace = TRACE ? await startRequestTrace(stack.ready.swapApi) : null;
const rpcUrl = stack.ready.rpc[0] ?? "";
const swapApi = stack.ready.swapApi;
const server = spawnOsprey(["serve", "--port", "0", "--json"], {
  SOLANA_RPC_URLS: rpcTrace?.through(rpcUrl) ?? rpcUrl,
  JUPITER_API_URL: apiTrace?.through(swapApi) ?? swapApi,
  JUPITER_PRICE_URL: apiTrace?.through(stack.ready.priceApi) ?? stack.ready.priceApi,
  JUPITER_TOKENS_URL: (apiTrace?.through(swapApi) ?? swapApi).replace(
    /\/swap\/v1\/?$/,
    "/tokens/v2",
  ),
  FEE_WALLET: feeWallet,
  DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  // The terminal as if behind a reverse proxy on loopback: each trader's own address counts.
  TRUST_PROXY: "loopback",
  TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  TELEGRAM_API_ROOT: proxy.apiRoot,
  ...ARGON2_FLOOR_ENV,
});

let failed = false;
let ordersRead: Awaited<ReturnType<typeof readChatOrders>> = new Map();
const say = (line: string) => process.stdout.write(`${line}\n`);

try {
  const apiUrl = String((await server.ready).api);
  const mints = HEALTHY.map((symbol) => stack.ready.mints[symbol] ?? "");
  const traders = createChatTraders(emulator, USERS, mints);
  const fund = (publicKey: string) =>
    stack.sandbox.chain.airdrop(address(publicKey), 5_000_000_000n);

  say(
    `Telegram bot: osprey serve polling the Bot API emulator, ${USERS} users, sandbox chain (100 ms slots), load average ${loadavg()[0]?.toFixed(2)}`,
  );
  let started = Date.now();
  const { refusals } = await startChats(emulator, traders);
  const startMs = Date.now() - started;
  started = Date.now();
  await unlockChats(emulator, traders, { apiUrl, fund, concurrency: 8 });
  const unlockMs = Date.now() - started;
  started = Date.now();
  await requestCards(emulator, traders);
  const cardsMs = Date.now() - started;
  say(
    `(setup) ${USERS} users at once: /start answered after ${s(startMs)}; /unlock through the web terminal (8 at a time) ${s(unlockMs)}; a token pasted by each: last card after ${s(cardsMs)}`,
  );
  if (refusals.length > 0) {
    const kinds = [...new Set(refusals)].map((text) => `“${text.slice(0, 80)}”`).join(", ");
    say(
      `    /start refused ${refusals.length} times (the user sent it again a second later): ${kinds}`,
    );
  }

  // (a) One press at a time: the first half soon after a press on the same token (its safety
  // report still cached), the second half as a user who read the card first (cache expired).
  const warm: Press[] = [];
  const cold: Press[] = [];
  const lastPressOn = new Map<string, number>();
  for (const [i, trader] of traders.slice(0, PRESSES).entries()) {
    const isCold = i >= PRESSES / 2;
    if (isCold) await sleep((lastPressOn.get(trader.mint) ?? 0) + COLD_AFTER_MS - Date.now());
    const card = trader.card as NonNullable<ChatTrader["card"]>;
    const data = buttonData(card, /^Buy 0\.5 SOL$/);
    const pressedAt = Date.now();
    const callbackId = emulator.press(trader.user, card, data);
    lastPressOn.set(trader.mint, pressedAt);
    const key = `tg:${trader.chat.id}:${card.message_id}:${data}`;
    (isCold ? cold : warm).push({ trader, callbackId, pressedAt, key });
    await nextBotMessage(emulator, trader.chat, FINAL, card.message_id);
    await sleep(100);
  }

  // (b) Everyone at once.
  const marks = traders.map((t) =>
    Math.max(0, ...emulator.botMessages(t.chat.id).map((m) => m.message_id)),
  );
  const burstAt = Date.now();
  const burst: Press[] = traders.map((trader) => {
    const card = trader.card as NonNullable<ChatTrader["card"]>;
    const data = buttonData(card, /^Buy 0\.1 SOL$/);
    return {
      trader,
      callbackId: emulator.press(trader.user, card, data),
      pressedAt: burstAt,
      key: `tg:${trader.chat.id}:${card.message_id}:${data}`,
    };
  });
  const finals = await Promise.allSettled(
    traders.map((t, i) => nextBotMessage(emulator, t.chat, FINAL, marks[i] ?? 0)),
  );
  const burstEnd = Date.now();
  const unanswered = burst.filter(
    (p) => !/placing/.test(emulator.answerOf(p.callbackId)?.text ?? ""),
  );
  // When each burst status message first read final, from the emulator's log.
  const finalAt = traders.map((t) => {
    const call = emulator.calls.find(
      (c) =>
        c.ok &&
        c.chatId === t.chat.id &&
        c.at >= burstAt &&
        FINAL.test(String(c.params.text ?? "")),
    );
    return call?.at ?? Number.NaN;
  });
  const finalTexts = finals.map((f) => (f.status === "fulfilled" ? (f.value.text ?? "") : ""));

  await stopServer();
  const orders = await readChatOrders(join(dataDir, "osprey.db"));
  ordersRead = orders;
  const measure = (presses: Press[]) =>
    measurePresses(presses, {
      orders,
      sendLog: stack.sandbox.sendLog,
      handedAt: proxy.handedAt,
      calls: emulator.calls,
    });

  const a = { warm: measure(warm), cold: measure(cold) };
  say(
    `(a) one press at a time (${PRESSES} presses, an idle bot each), press handed to the bot → first send:`,
  );
  for (const [label, m] of [
    [`${warm.length} within 10 s of a press on the same token (safety report cached)`, a.warm],
    [`${cold.length} over 11 s after one (report expired: a user who read the card first)`, a.cold],
  ] as const) {
    say(`    ${label}: ${spread(m.handed)}`);
    say(
      `      p50 from the press handed to the bot: order written ${ms(p50(m.written))}, "⏳" status message sent ${ms(p50(m.statusSent))}; ${m.missing} orders missing, ${m.unsent} never sent`,
    );
  }
  if (TRACE) for (const press of [...warm.slice(0, 3), ...cold.slice(0, 3)]) say(traceOf(press));

  const b = measure(burst);
  const users = new Set(burst.filter((p) => orders.has(p.key)).map((p) => p.trader.user.id));
  const placed = burst.length - b.missing;
  const confirmed = finalTexts.filter((text) => text.startsWith("✅")).length;
  const failedOrders = finalTexts.filter((text) => text.startsWith("❌")).length;
  const notFinal = finals.filter((f) => f.status === "rejected").length;
  const lastFinal = Math.max(...finalAt.filter(Number.isFinite));
  say(
    `(b) ${USERS} users pressing at once: orders placed ${placed} of ${USERS} (${users.size} users, one each: ${placed === USERS && users.size === USERS ? "yes" : "NO"}); ${burst.length - unanswered.length} presses answered "placing…"`,
  );
  say(
    `    every status message final after ${s(lastFinal - burstAt)} (✅ ${confirmed}, ❌ ${failedOrders}, not final ${notFinal})`,
  );
  // The bot answers a press once its handler has started the order: the pace it handles them.
  const answers = emulator.calls
    .filter((c) => c.method === "answerCallbackQuery" && c.at >= burstAt && c.at <= burstEnd)
    .map((c) => c.at - burstAt);
  const lastAnswer = Math.max(...answers);
  say(
    `    presses handled (answered "placing…"): first after ${ms(Math.min(...answers))}, last after ${s(lastAnswer)}: ${(answers.length / (lastAnswer / 1_000)).toFixed(0)} presses/s`,
  );
  say(`    press handed to the bot → first send ${spread(b.handed)}`);
  say(`    pressed (update queued at Telegram) → first send ${spread(b.fromPress)}`);
  say(
    `    from the press handed to the bot: order written (planned: analysis, quote, build; the engine prepares ORDER_CONCURRENCY = 32 at once) ${spread(b.written)}`,
  );
  const burstFlood = getFloodFigures(emulator.calls, burstAt, burstEnd);
  say(`    flood, during the burst: ${describeFlood(burstFlood)}`);
  const wholeFlood = getFloodFigures(emulator.calls);
  say(`(whole run, setup included) flood: ${describeFlood(wholeFlood)}`);
  const warnings = server
    .stderr()
    .split("\n")
    .filter((line) => /telegram/.test(line)).length;
  if (warnings > 0) say(`    the server logged ${warnings} telegram warnings`);

  const broken = [
    placed !== USERS || users.size !== USERS ? "an order is missing" : null,
    b.unsent + a.warm.unsent + a.cold.unsent > 0 ? "an order was never sent" : null,
    a.warm.missing + a.cold.missing > 0 ? "a press of (a) placed no order" : null,
    notFinal > 0 ? "a status message never became final" : null,
    wholeFlood.tooManyRequests > 0 ? "the emulator answered 429" : null,
    wholeFlood.maxGlobalPerSecond > LIMITS.globalPerSecond ? "over 30 messages in a second" : null,
    wholeFlood.maxPerChatPerSecond > LIMITS.chatInAnySecond
      ? "over 3 messages in a chat in a second"
      : null,
  ].filter(Boolean);
  say(
    broken.length === 0
      ? "result: within Telegram's limits, every order placed"
      : `result: FAILED (${broken.join("; ")})`,
  );
  failed = broken.length > 0;
} catch (error) {
  failed = true;
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  const outcomes = new Map<string, number>();
  for (const call of emulator.calls) {
    const key = `${call.method} ${call.ok ? "ok" : call.errorCode}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  process.stderr.write(
    `the emulator: ${emulator.pendingUpdates()} updates not yet fetched; calls ${JSON.stringify(Object.fromEntries(outcomes))}\n`,
  );
  process.stderr.write(`server stderr (last 4000 chars):\n${server.stderr().slice(-4_000)}\n`);
} finally {
  await stopServer();
  await proxy.close();
  await rpcTrace?.close();
  await apiTrace?.close();
  await emulator.close();
  await stack.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

/** The requests the server made from the press handed to the bot to its first send (BENCH_TRACE). */
function traceOf(press: Press): string {
  const at = proxy.handedAt(press.callbackId) ?? press.pressedAt;
  const order = ordersRead.get(press.key);
  const sends = order?.signature ? stack.sandbox.sendLog.list({ signature: order.signature }) : [];
  const sent = Math.min(...sends.map((e) => e.at));
  const made = [
    ...(rpcTrace?.between(at, sent) ?? []).map((r) => ({ ...r, where: "rpc" })),
    ...(apiTrace?.between(at, sent) ?? []).map((r) => ({ ...r, where: "api" })),
  ].sort((x, y) => x.at - y.at);
  const steps = made.map((r) => `${r.at - at}–${r.doneAt - at} ${r.where} ${r.what}`);
  const status = emulator.calls.find(
    (c) => c.method === "sendMessage" && c.chatId === press.trader.chat.id && c.at >= at,
  );
  return `    trace ${press.trader.user.first_name}: "⏳" sent at ${(status?.at ?? Number.NaN) - at} ms, first send at ${sent - at} ms; ${steps.join(", ")}`;
}

function describeFlood(f: FloodFigures): string {
  return `${f.tooManyRequests} answers 429; most messages in any 1 s: ${f.maxGlobalPerSecond} in all (limit ${LIMITS.globalPerSecond}), ${f.maxPerChatPerSecond} in one chat (limit ${LIMITS.chatInAnySecond}); ${f.messages} messages to ${f.chats} chats, ${f.editsRefused} edits refused as unchanged`;
}

async function stopServer(): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill("SIGTERM");
  await Promise.race([server.exited(), sleep(10_000)]);
  if (server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill("SIGKILL");
    await server.exited();
  }
}
