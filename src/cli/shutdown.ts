import type { Logger } from "../core/logger.js";

const FORCE_EXIT_MS = 10_000;

/**
 * On SIGTERM/SIGINT run `close` once and exit 0; a second signal or a close that hangs past
 * ten seconds exits 1, so an orchestrator never waits on a stuck shutdown.
 */
export function onShutdown(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.error("shutdown took too long: exiting");
      process.exit(1);
    }, FORCE_EXIT_MS);
    force.unref();
    close().then(
      () => {
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
