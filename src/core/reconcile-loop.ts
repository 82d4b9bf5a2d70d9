import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";

/** What the reconciler needs of a write-ahead record (an order or a withdrawal). */
export interface WriteAheadRecord {
  readonly id: string;
  /** The signed bytes, stored before anything is sent; null while unsigned. */
  readonly rawTransaction: string | null;
  readonly createdAt: number;
}

export interface ReconcileReport {
  readonly resumed: number;
  readonly abandoned: number;
}

export interface ReconcileLoopOptions<R extends WriteAheadRecord> {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly intervalMs?: number | undefined;
  /** How old an unsigned record must be before it is declared abandoned. */
  readonly graceMs?: number | undefined;
  /** Records a crash may have left between writing and a final outcome. */
  readonly listUnresolved: () => Promise<R[]>;
  /** True while this process is already landing the record. */
  readonly isSettling: (record: R) => boolean;
  /** Tracks a signed record from the chain again (rebroadcasting its stored bytes). */
  readonly resume: (record: R) => Promise<unknown>;
  /** Rejects an unsigned record by compare-and-set; true if this call moved it. */
  readonly abandon: (record: R) => Promise<boolean>;
  /** Log wording: the id's field ("orderId"), the plural ("orders"), a failed pass's message. */
  readonly log: { readonly idField: string; readonly plural: string; readonly passFailed: string };
}

/**
 * Resolves what a crash left behind: signed records are tracked from the chain again (their
 * stored bytes rebroadcast until they land or their blockhash expires, never re-signed);
 * unsigned ones past the grace period are rejected, since nothing was ever sent.
 */
export function createReconcileLoop<R extends WriteAheadRecord>(options: ReconcileLoopOptions<R>) {
  const { clock, logger, log } = options;
  const graceMs = options.graceMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReconcileReport> | undefined;

  async function pass(): Promise<ReconcileReport> {
    let resumed = 0;
    let abandoned = 0;
    for (const record of await options.listUnresolved()) {
      if (record.rawTransaction !== null) {
        if (options.isSettling(record)) continue;
        resumed++;
        options.resume(record).catch((error: unknown) => {
          logger.warn({ err: error, [log.idField]: record.id }, "reconcile: still unresolved");
        });
      } else if (clock.now() - record.createdAt > graceMs) {
        if (await options.abandon(record)) abandoned++;
      }
    }
    if (resumed + abandoned > 0) logger.info({ resumed, abandoned }, `reconciled ${log.plural}`);
    return { resumed, abandoned };
  }

  /** One pass at a time; a call during a pass joins it. */
  function runOnce(): Promise<ReconcileReport> {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    runOnce,
    /** A first pass now (awaited), then one every interval. */
    async start(): Promise<ReconcileReport> {
      const report = await runOnce();
      timer ??= setInterval(() => {
        runOnce().catch((error: unknown) => logger.warn({ err: error }, log.passFailed));
      }, options.intervalMs ?? 15_000);
      timer.unref();
      return report;
    },
    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

export type ReconcileLoop = ReturnType<typeof createReconcileLoop>;
