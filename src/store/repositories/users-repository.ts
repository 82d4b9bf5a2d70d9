import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { createUuidV7, type UserId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import { createQueryTemplates, type QueryTemplates } from "../query-templates.js";
import type { DatabaseSchema, UsersTable } from "../schema.js";
import { isUniqueViolation } from "./is-unique-violation.js";

export type Role = UsersTable["role"];

export interface User {
  readonly id: UserId;
  readonly username: string;
  readonly passwordHash: string;
  readonly role: Role;
  readonly createdAt: number;
  readonly disabledAt: number | null;
}

function toUser(row: UsersTable): User {
  return { ...row, id: row.id as UserId };
}

export function createUsersRepository(
  db: Kysely<DatabaseSchema>,
  clock: Clock,
  templates: QueryTemplates = createQueryTemplates(),
) {
  return {
    /** Throws CONFLICT when the username is taken (usernames compare case-insensitively). */
    async create(input: { username: string; passwordHash: string; role?: Role }): Promise<User> {
      const row: UsersTable = {
        id: createUuidV7(clock.now()),
        username: input.username.toLowerCase(),
        passwordHash: input.passwordHash,
        role: input.role ?? "user",
        createdAt: clock.now(),
        disabledAt: null,
      };
      try {
        await db.insertInto("users").values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error))
          throw new OspreyError("CONFLICT", "That username is taken.", { field: "username" });
        throw error;
      }
      return toUser(row);
    },

    async findById(id: UserId): Promise<User | undefined> {
      // Every authenticated request asks this: compiled once.
      const query = templates.bind(
        "by-id",
        (slot) => db.selectFrom("users").selectAll().where("id", "=", slot(0)),
        [id],
      );
      const row = (await db.executeQuery(query)).rows[0];
      return row && toUser(row);
    },

    async findByUsername(username: string): Promise<User | undefined> {
      const row = await db
        .selectFrom("users")
        .selectAll()
        .where("username", "=", username.toLowerCase())
        .executeTakeFirst();
      return row && toUser(row);
    },

    async setPasswordHash(id: UserId, passwordHash: string): Promise<void> {
      await db.updateTable("users").set({ passwordHash }).where("id", "=", id).execute();
    },

    /** False when there is no such user. */
    async setRole(id: UserId, role: Role): Promise<boolean> {
      const result = await db
        .updateTable("users")
        .set({ role })
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom("users")
        .select(db.fn.countAll<number | string>().as("n"))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
