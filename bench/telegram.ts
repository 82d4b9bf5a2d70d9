/**
 * The Telegram bot (issue 21): bench/telegram/telegram-bench.ts.
 *
 * Run: npx tsx bench/telegram.ts [presses=50] [users=200]
 */
import "./telegram/telegram-bench.js";
