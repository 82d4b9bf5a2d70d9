import pg from "pg";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import type { SqlDialectName } from "./database.js";

// SQLite result codes (better-sqlite3 gives the extended name, e.g. SQLITE_IOERR_WRITE) that say
// the file cannot be used right now: locked, read-only, out of space, unreadable.
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|READONLY|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM)(_|$)/;

// SQLSTATE classes 08 (connection exception) and 53 (insufficient resources: disk full, too many
// connections), and single codes: read-only transaction, shutdowns, a dropped database, a
// refused login.
const PG_UNAVAILABLE_CLASSES = new Set(["08", "53"]);
const PG_UNAVAILABLE_CODES = new Set([
  "25006",
  "57P01",
  "57P02",
  "57P03",
  "57P04",
  "57P05",
  "3D000",
  "28000",
  "28P01",
]);

// Socket errors from the driver's connection.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code } = error as { code: unknown };
  return typeof code === "string" ? code : undefined;
}

/**
 * Whether a driver error means the database cannot serve anyone now (503), as opposed to a fault
 * of this statement (a constraint violation, which repositories turn into CONFLICT, or a bug).
 */
export function isDatabaseUnavailableError(error: unknown, dialect: SqlDialectName): boolean {
  const code = codeOf(error);
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (dialect === "sqlite") return code !== undefined && SQLITE_UNAVAILABLE.test(code);
  if (error instanceof pg.DatabaseError)
    return (
      code !== undefined &&
      (PG_UNAVAILABLE_CODES.has(code) || PG_UNAVAILABLE_CLASSES.has(code.slice(0, 2)))
    );
  // pg reports a lost or timed-out connection with a plain Error and no code ("Connection
  // terminated unexpectedly"); its own bugs and ours are TypeErrors and RangeErrors.
  return error instanceof Error && error.constructor === Error;
}

/**
 * DATABASE_UNAVAILABLE for a driver error that means the database is down, locked or read-only;
 * anything else (our errors, constraint violations) is returned as it is. `always` classifies any
 * failure, for steps such as taking a connection from the pool where every failure is an outage.
 */
export function toDatabaseError(error: unknown, dialect: SqlDialectName, always = false): unknown {
  if (isOspreyError(error)) return error;
  if (!always && !isDatabaseUnavailableError(error, dialect)) return error;
  const reason = codeOf(error);
  return new OspreyError(
    "DATABASE_UNAVAILABLE",
    `The ${dialect} database is unavailable${reason ? ` (${reason})` : ""}.`,
    { dialect, ...(reason ? { reason } : {}) },
    { cause: error },
  );
}
