import { Counter, type Registry } from "prom-client";

/**
 * `db_lock_waits_total`: how often a SQLite statement found the file locked by another
 * connection (a CLI command, a backup) and waited to retry. Growing steadily means contention.
 */
export function createLockWaitCounter(registry: Registry): () => void {
  const waits = new Counter({
    name: "db_lock_waits_total",
    help: "Retries of SQLite statements that found the database locked by another connection",
    registers: [registry],
  });
  return () => waits.inc();
}
