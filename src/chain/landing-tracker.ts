import type { Signature } from "@solana/kit";
import type { Clock } from "../core/index.js";
import { broadcastTransaction } from "./broadcast-transaction.js";
import type { ChainMetrics } from "./chain-metrics.js";
import { checkExpiry } from "./check-expiry.js";
import type { LandingRoute } from "./landing-routes.js";
import type { LandingEvent, LandingOutcome, LandingRequest } from "./landing-types.js";
import { preflightTransaction } from "./preflight-transaction.js";
import type {
  PollUpdate,
  SignatureStatus,
  SignatureStatusPoller,
} from "./signature-status-poller.js";
import type { Timers } from "./timers.js";
import type { TransactionLanderOptions } from "./transaction-lander.js";

export interface LandingContext {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly poller: SignatureStatusPoller;
  readonly metrics: ChainMetrics | undefined;
  readonly rebroadcastMs: number;
  readonly options: TransactionLanderOptions;
  /** Called once when the landing resolves, rejects or is stopped. */
  readonly onDone: (signature: Signature) => void;
  /** After the landing ended: reads what the block engines say of the bundles they accepted. */
  readonly reportBundles: (
    signature: Signature,
    bundles: ReadonlyMap<LandingRoute, ReadonlySet<string>>,
    emit: (event: LandingEvent) => void,
  ) => void;
}

export interface Landing {
  readonly promise: Promise<LandingOutcome>;
  stop(error: unknown): void;
}

/**
 * One transaction's landing: broadcast to its routes, rebroadcast every `rebroadcastMs` (timed
 * from each round's dispatch, not its answers) until a status or expiry ends it, and resolve
 * exactly once.
 */
export function startLanding(
  context: LandingContext,
  signature: Signature,
  request: LandingRequest,
  routes: readonly LandingRoute[],
  preflight: boolean,
): Landing {
  const { clock, timers, poller, metrics, rebroadcastMs, options } = context;
  const { transaction, lastValidBlockHeight } = request;
  const startedAt = clock.now();
  const emit = (event: LandingEvent) => {
    request.onEvent?.(event);
    options.onEvent?.(event);
  };
  let settled = false;
  let rebroadcasting = true;
  let attempt = 0;
  let handle: unknown;
  let seenProcessed = false;
  let expiryChecking = false;
  let expirySeen = false;
  const busy = new Set<LandingRoute>();
  const bundles = new Map<LandingRoute, Set<string>>();
  let unwatch = () => {};
  let resolveOutcome: (outcome: LandingOutcome) => void = () => {};
  let rejectOutcome: (error: unknown) => void = () => {};
  const promise = new Promise<LandingOutcome>((resolve, reject) => {
    resolveOutcome = resolve;
    rejectOutcome = reject;
  });

  function stopRebroadcasting(): void {
    rebroadcasting = false;
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  }
  function cleanup(): void {
    settled = true;
    stopRebroadcasting();
    unwatch();
    request.signal?.removeEventListener("abort", onAbort);
    context.onDone(signature);
  }
  function finish(outcome: LandingOutcome): void {
    if (settled) return;
    cleanup();
    metrics?.transactionsLanded.inc({ outcome: outcome.kind });
    if (outcome.kind === "confirmed") metrics?.landingSeconds.observe(outcome.elapsedMs / 1000);
    resolveOutcome(outcome);
    if (bundles.size > 0) context.reportBundles(signature, bundles, emit);
  }
  function stop(error: unknown): void {
    if (settled) return;
    cleanup();
    rejectOutcome(error);
  }
  function onAbort(): void {
    stop(request.signal?.reason);
  }

  function applyStatus(status: SignatureStatus): void {
    if (!seenProcessed) {
      seenProcessed = true;
      emit({ kind: "processed", signature, at: clock.now(), slot: status.slot });
    }
    // An executed failure is final on that fork: re-sending the same bytes can't change it.
    if (status.err !== null) stopRebroadcasting();
    if (status.confirmationStatus !== "confirmed" && status.confirmationStatus !== "finalized")
      return;
    const elapsedMs = clock.now() - startedAt;
    finish(
      status.err === null
        ? { kind: "confirmed", signature, slot: status.slot, elapsedMs }
        : { kind: "failed", signature, error: status.err, slot: status.slot, elapsedMs },
    );
  }

  function onUpdate({ status, blockHeight }: PollUpdate): void {
    if (status !== null) applyStatus(status);
    if (settled || blockHeight <= lastValidBlockHeight) return;
    stopRebroadcasting(); // past its last valid block, no copy can land any more
    if (expiryChecking) return;
    expiryChecking = true;
    checkExpiry(options.endpoints, signature, lastValidBlockHeight)
      .then((check) => {
        if (check.kind === "found") applyStatus(check.status);
        // Two null answers on separate rounds: one stale read must not expire a landed tx.
        else if (check.kind === "expired" && expirySeen) {
          finish({
            kind: "expired",
            signature,
            lastValidBlockHeight,
            blockHeight: check.blockHeight,
            elapsedMs: clock.now() - startedAt,
          });
        } else if (check.kind === "expired") expirySeen = true;
      })
      .finally(() => {
        expiryChecking = false;
      });
  }

  function broadcast(): void {
    if (settled || !rebroadcasting) return;
    const current = attempt++;
    const { targeted } = broadcastTransaction(routes, transaction, {
      busy,
      metrics,
      onAccepted(route, { bundleId }) {
        if (bundleId === undefined) return;
        const ids = bundles.get(route) ?? new Set<string>();
        ids.add(bundleId);
        bundles.set(route, ids);
      },
    });
    const at = clock.now();
    emit(
      current === 0
        ? { kind: "first-send", signature, at, endpoints: targeted }
        : { kind: "rebroadcast", signature, at, attempt: current, endpoints: targeted },
    );
    if (settled || !rebroadcasting) return;
    handle = timers.setTimeout(() => {
      handle = undefined;
      broadcast();
    }, rebroadcastMs);
  }

  async function start(): Promise<void> {
    if (preflight) {
      const result = await preflightTransaction(options.transport, transaction);
      if (result.kind === "rejected") {
        finish({
          kind: "failed",
          signature,
          error: result.error,
          elapsedMs: clock.now() - startedAt,
        });
        return;
      }
    }
    broadcast();
  }

  if (request.signal?.aborted) {
    settled = true;
    return { promise: Promise.reject(request.signal.reason), stop: () => {} };
  }
  request.signal?.addEventListener("abort", onAbort, { once: true });
  unwatch = poller.watch(signature, onUpdate);
  void start().catch(stop);
  return { promise, stop };
}
