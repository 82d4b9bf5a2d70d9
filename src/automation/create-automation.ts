import { randomUUID } from "node:crypto";
import type { Registry } from "prom-client";
import type { ChainClient } from "../chain/chain-client.js";
import type { Config } from "../config/config-schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { TokenAnalyzer } from "../safety/token-analyzer.js";
import type { Store } from "../store/store.js";
import { createPriceQuoteBatch } from "../swap/price-batch.js";
import type { OrderEngine } from "../trading/order-engine.js";
import { SOL_MINT } from "../trading/price-client.js";
import { createAutomationMetrics } from "./automation-metrics.js";
import { createAutomationChainReads } from "./chain-reads.js";
import { createTriggerFirer } from "./fire/trigger-firer.js";
import { createTriggerSweeper } from "./fire/trigger-sweeper.js";
import type { GrantEndReason, GrantService } from "./grants/grant-service.js";
import type { GrantRecord } from "./grants/grant-types.js";
import type { NotifyUser } from "./notify-user.js";
import type { TriggerService } from "./triggers/trigger-service.js";
import type { TriggerRecord } from "./triggers/trigger-types.js";
import { createPriceWatcher } from "./watch/price-watcher.js";

const DRAIN_MS = 2_000;

export interface AutomationOptions {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly grants: GrantService;
  readonly triggers: Pick<TriggerService, "toJson" | "pauseForWallet" | "resumeForWallet">;
  /** The user notifier (event stream + webhook). */
  readonly notify: NotifyUser;
  readonly engine: Pick<OrderEngine, "placeOrder" | "prefetchPlan">;
  readonly analyzer: Pick<TokenAnalyzer, "analyzeToken">;
  /** Wallet holdings (fractional-percent sells are sized from them). */
  readonly chain: Pick<ChainClient, "rpc">;
  readonly priceApiUrl: string;
}

/**
 * Firing standing orders (src/automation/README.md): the price watcher, the firer and the
 * sweeper over the grant and trigger services, started and stopped together. Stop it before
 * the chain closes.
 */
export function createAutomation(options: AutomationOptions) {
  const { config, store, clock, logger, grants, triggers, notify } = options;
  const onError = (error: unknown) => logger.warn({ err: error }, "automation task failed");
  const instanceId = `${process.pid}-${randomUUID()}`;
  const metrics = createAutomationMetrics(options.registry);
  const fetchQuotes = createPriceQuoteBatch({ baseUrl: options.priceApiUrl });
  const reads = createAutomationChainReads(options.chain, store);
  const announce = async (trigger: TriggerRecord) => {
    const [json] = await triggers.toJson([trigger]);
    if (json) await notify(trigger.userId, { type: "trigger", data: { ...json } });
  };
  const firer = createTriggerFirer({
    store,
    engine: options.engine,
    grants,
    clock,
    instanceId,
    leaseMs: config.TRIGGER_LEASE_MS,
    metrics,
    holding: reads.getHolding,
    onTriggerChange: announce,
    onError: (error, triggerId) => logger.warn({ err: error, triggerId }, "trigger firing failed"),
  });
  const watcher = createPriceWatcher({
    clock,
    fetchQuotes,
    solMint: SOL_MINT,
    intervalMs: config.TRIGGER_PRICE_INTERVAL_MS,
    maxAgeMs: config.TRIGGER_PRICE_MAX_AGE_MS,
    listArmed: () => store.triggers.listArmed(),
    listChangedSince: (since) => store.triggers.listChangedSince(since),
    readTrigger: (id) => store.triggers.findById(id),
    isBusy: firer.isBusy,
    onCrossings: (crossings) => {
      for (const crossing of crossings) void firer.fire(crossing);
    },
    onHighWaters: async (updates) => {
      for (const update of updates) {
        const moved = await store.triggers.setStatus(update.triggerId, ["ARMED"], "ARMED", {
          highWaterPrice: update.priceUsd,
        });
        if (moved) await announce(moved);
      }
    },
    warmAnalysis: (mint) => {
      options.analyzer.analyzeToken(mint, { freshMint: true }).catch(() => undefined);
    },
    onError,
  });
  const sweeper = createTriggerSweeper({
    store,
    firer,
    grants,
    clock,
    instanceId,
    leaseMs: config.TRIGGER_LEASE_MS,
    intervalMs: Math.min(Math.max(config.TRIGGER_PRICE_INTERVAL_MS * 5, 250), 5_000),
    // A resumed firing checks its executable price against SOL's fresh price, or waits for one.
    solUsd: watcher.solUsd,
    onTriggerChange: announce,
    onError,
  });
  metrics.track({
    armedByType: () => watcher.evaluator.countByType(),
    feedLagSeconds: watcher.lagSeconds,
  });

  return {
    grants,
    triggers,
    watcher,
    firer,
    sweeper,
    /** Trading's onOrderChange, wrapped: a trigger's order moving settles the trigger. */
    onOrderChange: (order: { id: string; status: string; triggerId: string | null }) =>
      firer.onOrderChange(order).catch(onError),
    /** The grant service's hooks: an ended grant pauses its wallet's triggers, a new one resumes them. */
    async onGrantEnded(grant: GrantRecord, reasonCode: GrantEndReason): Promise<void> {
      const reason =
        reasonCode === "GRANT_EXPIRED"
          ? "The automation grant expired."
          : "The automation grant was revoked.";
      await triggers.pauseForWallet(grant.walletId, reasonCode, reason);
    },
    async onGrantCreated(grant: GrantRecord): Promise<void> {
      await triggers.resumeForWallet(grant.walletId, grant);
    },
    /** Starts watching and sweeping when the operator set an automation key. */
    start(): void {
      if (!grants.enabled) return;
      watcher.start();
      sweeper.start();
    },
    /** Stops firing first: no new claim after this resolves (claimed ones resume later). */
    async stop(): Promise<void> {
      await watcher.stop();
      await sweeper.stop();
      // Placements under way get a moment to finish on a live chain.
      await firer.drain(DRAIN_MS);
    },
  };
}

export type Automation = ReturnType<typeof createAutomation>;
