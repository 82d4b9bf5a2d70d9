export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type SqlDialectName,
} from "./database.js";
export { runMigrations } from "./migrate.js";
export type {
  AccessTokenRecord,
  AccessTokensRepository,
} from "./repositories/access-tokens-repository.js";
export type { ApiKeyRecord, ApiKeysRepository } from "./repositories/api-keys-repository.js";
export type {
  AuditEntry,
  AuditEvent,
  AuditLogRepository,
} from "./repositories/audit-log-repository.js";
export type {
  NewOrder,
  OrderEvent,
  OrderPatch,
  OrderRecord,
  OrdersRepository,
} from "./repositories/orders-repository.js";
export type { Position, PositionsRepository } from "./repositories/positions-repository.js";
export type { Role, User, UsersRepository } from "./repositories/users-repository.js";
export type { WalletRecord, WalletsRepository } from "./repositories/wallets-repository.js";
export { createStore, type Store } from "./store.js";
