import type { Kysely } from "kysely";
import type { SqlDialectName } from "../database.js";
import * as initial from "./001-initial.js";
import * as accessTokens from "./002-access-tokens.js";
import * as positionUsdCost from "./003-position-usd-cost.js";
import * as readinessProbe from "./004-readiness-probe.js";
import * as apiKeyScopes from "./005-api-key-scopes.js";
import * as withdrawals from "./006-withdrawals.js";
import * as priceCandles from "./007-price-candles.js";
import * as userSettings from "./008-user-settings.js";
import * as orderFees from "./009-order-fees.js";
import * as automation from "./010-automation.js";
import * as telegram from "./011-telegram.js";

export interface OspreyMigration {
  readonly name: string;
  up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void>;
}

/** Every migration in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly OspreyMigration[] = [
  { name: "001-initial", up: initial.up },
  { name: "002-access-tokens", up: accessTokens.up },
  { name: "003-position-usd-cost", up: positionUsdCost.up },
  { name: "004-readiness-probe", up: readinessProbe.up },
  { name: "005-api-key-scopes", up: apiKeyScopes.up },
  { name: "006-withdrawals", up: withdrawals.up },
  { name: "007-price-candles", up: priceCandles.up },
  { name: "008-user-settings", up: userSettings.up },
  { name: "009-order-fees", up: orderFees.up },
  { name: "010-automation", up: automation.up },
  { name: "011-telegram", up: telegram.up },
];
