import { randomUUID } from "node:crypto";
import type { Registry } from "prom-client";
import type { ChainClient } from "../chain/chain-client.js";
import type { Config } from "../config/config-schema.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import type { EventBus } from "../events/event-types.js";
import type { TokenAnalyzer } from "../safety/token-analyzer.js";
import type { Store } from "../store/store.js";
import { createPriceQuoteBatch } from "../swap/price-batch.js";
import type { OrderEngine } from "../trading/order-engine.js";
import { SOL_MINT } from "../trading/price-client.js";
import type { WalletService } from "../wallet/wallet-service.js";
import { createAutomationMetrics } from "./automation-metrics.js";
import { createAutomationChainReads } from "./chain-reads.js";
import { createTriggerFirer } from "./fire/trigger-firer.js";
import { createTriggerSweeper } from "./fire/trigger-sweeper.js";
import { createGrantService } from "./grants/grant-service.js";
import type { NotifyUser } from "./notify-user.js";
import { createTriggerService } from "./triggers/trigger-service.js";
import type { TriggerRecord } from "./triggers/trigger-types.js";
import { createPriceWatcher } from "./watch/price-watcher.js";

export interface AutomationOptions {
  readonly config: Config;
  /** The operator's AUTOMATION_KEY (loadAutomationKey); null: automation off. */
  readonly automationKey: Buffer | null;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly events: EventBus;
  readonly wallets: Pick<WalletService, "withKeyForGrant">;
  readonly engine: Pick<OrderEngine, "placeOrder">;
  readonly analyzer: Pick<TokenAnalyzer, "analyzeToken">;
  readonly priceApiUrl: string;
  /** Mint decimals and wallet holdings (fractional-percent sells are sized from them). */
  readonly chain: Pick<ChainClient, "rpc">;
  /** The user notifier (event stream + webhook); default: the event stream alone. */
  readonly notify?: NotifyUser;
}

/**
 * Standing orders (src/automation/README.md): grants, triggers, the price watcher, the firer
 * and the sweeper, started and stopped together. Stop it before the chain closes.
 */
export function createAutomation(options: AutomationOptions) {
  const { config, store, clock, logger } = options;
  const notify: NotifyUser =
    options.notify ?? ((userId, event) => options.events.publish(userId, event));
  const onError = (error: unknown) => logger.warn({ err: error }, "automation task failed");
  const instanceId = `${process.pid}-${randomUUID()}`;
  const metrics = createAutomationMetrics(options.registry);
  const fetchQuotes = createPriceQuoteBatch({ baseUrl: options.priceApiUrl });
  const reads = createAutomationChainReads(options.chain, store);

  const triggers = createTriggerService({
    store,
    clock,
    analyzer: options.analyzer,
    minDcaIntervalSeconds: config.TRIGGER_DCA_MIN_INTERVAL_SECONDS,
    grants: {
      get enabled() {
        return grants.enabled;
      },
      get: (userId, walletId) => grants.get(userId, walletId),
    },
    getUsdPrice: async (mint) => (await fetchQuotes([mint])).get(mint)?.usd ?? null,
    getDecimals: reads.getDecimals,
    onTriggerChange: (userId, json) => notify(userId, { type: "trigger", data: { ...json } }),
    onError,
  });
  const grants = createGrantService({
    store,
    wallets: options.wallets,
    automationKey: options.automationKey,
    clock,
    onGrantEnded: async (grant, reasonCode) => {
      const reason =
        reasonCode === "GRANT_EXPIRED"
          ? "The automation grant expired."
          : "The automation grant was revoked.";
      await triggers.pauseForWallet(grant.walletId, reasonCode, reason);
    },
    onGrantCreated: async (grant) => {
      await triggers.resumeForWallet(grant.walletId, grant);
    },
  });
  const announce = async (trigger: TriggerRecord) => {
    const [json] = await triggers.toJson([trigger]);
    if (json)
      await notify(trigger.userId, {
        type: "trigger",
        data: json as unknown as Record<string, unknown>,
      });
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
  let lastSolUsd: number | null = null;
  const watcher = createPriceWatcher({
    clock,
    fetchQuotes,
    solMint: SOL_MINT,
    intervalMs: config.TRIGGER_PRICE_INTERVAL_MS,
    maxAgeMs: config.TRIGGER_PRICE_MAX_AGE_MS,
    listArmed: () => store.triggers.listArmed(),
    isBusy: firer.isBusy,
    onCrossings: (crossings) => {
      for (const crossing of crossings) {
        lastSolUsd = crossing.solUsd;
        void firer.fire(crossing);
      }
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
    solUsd: () => lastSolUsd,
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
    },
  };
}

export type Automation = ReturnType<typeof createAutomation>;
