import type { Clock } from "../core/clock.js";
import type { Database } from "./database.js";
import { createAccessTokensRepository } from "./repositories/access-tokens-repository.js";
import { createApiKeysRepository } from "./repositories/api-keys-repository.js";
import { createAuditLogRepository } from "./repositories/audit-log-repository.js";
import { createAutomationGrantsRepository } from "./repositories/automation-grants-repository.js";
import { createOperatorRepository } from "./repositories/operator-repository.js";
import { createOrderFillsRepository } from "./repositories/order-fills-repository.js";
import { createOrdersRepository } from "./repositories/orders-repository.js";
import { createPositionsRepository } from "./repositories/positions-repository.js";
import { createPriceCandlesRepository } from "./repositories/price-candles-repository.js";
import { createTelegramRepository } from "./repositories/telegram-repository.js";
import { createTriggerFiringsRepository } from "./repositories/trigger-firings-repository.js";
import { createTriggersRepository } from "./repositories/triggers-repository.js";
import { createUserSettingsRepository } from "./repositories/user-settings-repository.js";
import { createUsersRepository } from "./repositories/users-repository.js";
import { createWalletsRepository } from "./repositories/wallets-repository.js";
import { createWebhooksRepository } from "./repositories/webhooks-repository.js";
import { createWithdrawalsRepository } from "./repositories/withdrawals-repository.js";

/** The repositories over one database, built once in the composition root. */
export function createStore(database: Database, clock: Clock) {
  const { db } = database;
  return {
    database,
    users: createUsersRepository(db, clock),
    apiKeys: createApiKeysRepository(db, clock),
    accessTokens: createAccessTokensRepository(db, clock),
    wallets: createWalletsRepository(db, clock),
    orders: createOrdersRepository(db, clock),
    positions: createPositionsRepository(db, clock),
    fills: createOrderFillsRepository(db, clock, database.dialect),
    audit: createAuditLogRepository(db, clock),
    withdrawals: createWithdrawalsRepository(db, clock),
    candles: createPriceCandlesRepository(db, database.dialect),
    settings: createUserSettingsRepository(db, clock),
    operator: createOperatorRepository(db, database.dialect),
    triggerFirings: createTriggerFiringsRepository(db, clock, database.dialect),
    automationGrants: createAutomationGrantsRepository(db, clock, database.dialect),
    webhooks: createWebhooksRepository(db, clock, database.dialect),
    telegram: createTelegramRepository(db, clock),
    triggers: createTriggersRepository(db, clock),
  };
}

export type Store = ReturnType<typeof createStore>;
