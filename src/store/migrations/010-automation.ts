import type { Kysely } from "kysely";
import type { SqlDialectName } from "../database.js";
import { getColumnTypes } from "./001-initial.js";

/**
 * Standing orders (src/automation): automation grants (a wallet key re-encrypted under the
 * operator's AUTOMATION_KEY, bound to the grant's limits), triggers, one row per firing (its
 * idempotency key and the order it placed), the order's trigger, and users' webhooks with a
 * durable delivery queue.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const t = getColumnTypes(dialect);

  await db.schema
    .createTable("automation_grants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("wallet_id", "text", (c) => c.notNull().references("wallets.id"))
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("max_order_lamports", t.money, (c) => c.notNull())
    .addColumn("max_daily_lamports", t.money, (c) => c.notNull())
    .addColumn("order_types", "text", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("sealed_key", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addColumn("ended_at", "bigint")
    .addColumn("end_reason", "text")
    .execute();
  await db.schema
    .createIndex("automation_grants_wallet_status_idx")
    .on("automation_grants")
    .columns(["wallet_id", "status"])
    .execute();
  await db.schema
    .createIndex("automation_grants_status_expires_idx")
    .on("automation_grants")
    .columns(["status", "expires_at"])
    .execute();

  await db.schema
    .createTable("triggers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("wallet_id", "text", (c) => c.notNull().references("wallets.id"))
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("mint", "text", (c) => c.notNull())
    .addColumn("decimals", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason_code", "text")
    .addColumn("reason", "text")
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("trigger_price", "text")
    .addColumn("high_water_price", "text")
    .addColumn("oco_group", "text")
    .addColumn("accept_risk", t.bool, (c) => c.notNull())
    .addColumn("firing_number", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_due_at", "bigint")
    .addColumn("lease_owner", "text")
    .addColumn("lease_until", "bigint")
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("triggers_status_idx").on("triggers").column("status").execute();
  await db.schema
    .createIndex("triggers_user_created_idx")
    .on("triggers")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("triggers_wallet_status_idx")
    .on("triggers")
    .columns(["wallet_id", "status"])
    .execute();
  await db.schema.createIndex("triggers_oco_idx").on("triggers").column("oco_group").execute();
  // The price watcher reads the rows written since its last read, every tick.
  await db.schema.createIndex("triggers_updated_idx").on("triggers").column("updated_at").execute();

  await db.schema
    .createTable("trigger_firings")
    .addColumn("trigger_id", "text", (c) => c.notNull().references("triggers.id"))
    .addColumn("firing_number", "integer", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("grant_id", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("request", "text", (c) => c.notNull())
    .addColumn("spend_lamports", t.money, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("order_id", "text")
    .addColumn("reason_code", "text")
    .addColumn("reason", "text")
    .addColumn("crossed_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("trigger_firings_pk", ["trigger_id", "firing_number"])
    .execute();
  await db.schema
    .createIndex("trigger_firings_grant_created_idx")
    .on("trigger_firings")
    .columns(["grant_id", "created_at"])
    .execute();

  await db.schema.alterTable("orders").addColumn("trigger_id", "text").execute();

  await db.schema
    .createTable("user_webhooks")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
    .addColumn("url", "text", (c) => c.notNull())
    .addColumn("secret", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("webhook_deliveries")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "bigint", (c) => c.notNull())
    .addColumn("lease_until", "bigint")
    .addColumn("last_error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("delivered_at", "bigint")
    .execute();
  await db.schema
    .createIndex("webhook_deliveries_due_idx")
    .on("webhook_deliveries")
    .columns(["status", "next_attempt_at"])
    .execute();
}
