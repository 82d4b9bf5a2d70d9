import type { Kysely } from "kysely";
import type { SqlDialectName } from "../database.js";
import { getColumnTypes } from "./001-initial.js";

/**
 * Withdrawals of SOL or a token to an outside address, written ahead like orders: the row exists
 * before anything is signed, and the signed bytes before the first send.
 */
export async function up(db: Kysely<unknown>, dialect: SqlDialectName): Promise<void> {
  const t = getColumnTypes(dialect);
  await db.schema
    .createTable("withdrawals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("wallet_id", "text", (c) => c.notNull().references("wallets.id"))
    .addColumn("destination", "text", (c) => c.notNull())
    .addColumn("mint", "text")
    .addColumn("amount", t.money, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.unique())
    .addColumn("raw_transaction", "text")
    .addColumn("last_valid_block_height", "bigint")
    .addColumn("fee_lamports", t.money)
    .addColumn("slot", "bigint")
    .addColumn("error", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .addUniqueConstraint("withdrawals_user_idempotency_unique", ["user_id", "idempotency_key"])
    .execute();
  await db.schema
    .createIndex("withdrawals_wallet_created_idx")
    .on("withdrawals")
    .columns(["wallet_id", "created_at"])
    .execute();
  await db.schema
    .createIndex("withdrawals_status_idx")
    .on("withdrawals")
    .column("status")
    .execute();

  await db.schema
    .createTable("withdrawal_events")
    .addColumn("id", t.serial, (c) => c.primaryKey())
    .addColumn("withdrawal_id", "text", (c) =>
      c.notNull().references("withdrawals.id").onDelete("cascade"),
    )
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("at", "bigint", (c) => c.notNull())
    .addColumn("detail", "text")
    .execute();
  await db.schema
    .createIndex("withdrawal_events_withdrawal_idx")
    .on("withdrawal_events")
    .column("withdrawal_id")
    .execute();
}
