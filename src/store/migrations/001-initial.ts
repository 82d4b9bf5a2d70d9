import { type Kysely, sql } from "kysely";
import type { SqlDialectName } from "../database.js";

// Types that differ by dialect: exact decimal money, and an auto-increment key.
export function getColumnTypes(dialect: SqlDialectName) {
  return dialect === "postgres"
    ? { money: sql`numeric(40, 0)`, serial: sql`bigserial`, bool: sql`boolean` }
    : { money: sql`text`, serial: sql`integer`, bool: sql`integer` };
}

export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const t = getColumnTypes(dialect);

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("user"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("disabled_at", "bigint")
    .execute();

  await db.schema
    .createTable("api_keys")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("key_hash", "text", (c) => c.notNull().unique())
    .addColumn("key_prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("last_used_at", "bigint")
    .addColumn("revoked_at", "bigint")
    .execute();
  await db.schema.createIndex("api_keys_user_idx").on("api_keys").column("user_id").execute();

  await db.schema
    .createTable("wallets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("public_key", "text", (c) => c.notNull())
    .addColumn("envelope", "text", (c) => c.notNull())
    .addColumn("active", t.bool, (c) =>
      c.notNull().defaultTo(dialect === "postgres" ? sql`true` : 1),
    )
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("wallets_user_public_key_unique", ["user_id", "public_key"])
    .execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("wallet_id", "text", (c) => c.notNull().references("wallets.id"))
    .addColumn("side", "text", (c) => c.notNull())
    .addColumn("mint", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("amount_in", t.money, (c) => c.notNull())
    .addColumn("amount_out", t.money)
    .addColumn("min_amount_out", t.money)
    .addColumn("slippage_bps", "integer", (c) => c.notNull())
    .addColumn("commission_lamports", t.money)
    .addColumn("commission_usd_micros", t.money)
    .addColumn("signature", "text", (c) => c.unique())
    .addColumn("raw_transaction", "text")
    .addColumn("last_valid_block_height", "bigint")
    .addColumn("slot", "bigint")
    .addColumn("error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("orders_user_idempotency_unique", ["user_id", "idempotency_key"])
    .execute();
  await db.schema
    .createIndex("orders_user_created_idx")
    .on("orders")
    .columns(["user_id", "created_at"])
    .execute();
  await db.schema.createIndex("orders_status_idx").on("orders").column("status").execute();

  await db.schema
    .createTable("order_events")
    .addColumn("id", t.serial, (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.notNull().references("orders.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("detail", "text")
    .execute();
  await db.schema
    .createIndex("order_events_order_idx")
    .on("order_events")
    .column("order_id")
    .execute();

  await db.schema
    .createTable("positions")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("wallet_id", "text", (c) => c.notNull().references("wallets.id"))
    .addColumn("mint", "text", (c) => c.notNull())
    .addColumn("amount", t.money, (c) => c.notNull())
    .addColumn("cost_lamports", t.money, (c) => c.notNull())
    .addColumn("realized_pnl_lamports", t.money, (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("positions_pk", ["wallet_id", "mint"])
    .execute();
  await db.schema.createIndex("positions_user_idx").on("positions").column("user_id").execute();

  await db.schema
    .createTable("audit_log")
    .addColumn("id", t.serial, (c) => c.primaryKey())
    .addColumn("user_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text")
    .addColumn("target_id", "text")
    .addColumn("ip", "text")
    .addColumn("detail", "text")
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("audit_log_user_idx")
    .on("audit_log")
    .columns(["user_id", "at"])
    .execute();
}
