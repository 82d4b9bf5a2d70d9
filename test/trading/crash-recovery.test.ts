import { describeCrashTrading } from "./crash-trading.js";

// On Swap API v2, the default (`JUPITER_SWAP_API=v1 npx vitest run test/trading/crash-recovery.test.ts`
// runs it on v1: the server inherits the environment).
describeCrashTrading("crash recovery: SIGKILL during concurrent trading, restart, reconcile");
