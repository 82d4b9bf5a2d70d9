import type { Command } from "commander";
import { OspreyError } from "../../core/osprey-error.js";
import { openStore } from "../open-store.js";
import { createSecretReader } from "../read-secret.js";

interface CreateOptions {
  readonly admin?: boolean;
  readonly json?: boolean;
}

export function registerUsersCommand(program: Command): void {
  const users = program.command("users").description("manage accounts in the configured database");
  users
    .command("create <username>")
    .description("create an account; the password is read from stdin or a hidden prompt")
    .option("--admin", "give the account the admin role")
    .option("--json", "print the result as JSON")
    .action(async (username: string, options: CreateOptions) => {
      const readSecret = createSecretReader();
      const password = await readSecret(`Password for ${username}: `);
      const { accounts, close } = await openStore();
      try {
        const { userId } = await accounts.register({
          username,
          password,
          role: options.admin ? "admin" : "user",
        });
        const role = options.admin ? "admin" : "user";
        if (options.json)
          process.stdout.write(
            `${JSON.stringify({ userId, username: username.toLowerCase(), role })}\n`,
          );
        else process.stdout.write(`created ${role} ${username.toLowerCase()} (${userId})\n`);
      } finally {
        await close();
      }
    });
  users
    .command("set-role <username> <role>")
    .description("make an account an admin (operator view) or a user again: role admin or user")
    .option("--json", "print the result as JSON")
    .action(async (username: string, role: string, options: { json?: boolean }) => {
      if (role !== "admin" && role !== "user")
        throw new OspreyError("INVALID_INPUT", "The role is admin or user.", { field: "role" });
      const { store, findUser, close } = await openStore();
      try {
        const user = await findUser(username);
        await store.users.setRole(user.id, role);
        await store.audit.record({
          userId: user.id,
          action: "user.set_role",
          detail: { from: user.role, to: role },
        });
        if (options.json)
          process.stdout.write(
            `${JSON.stringify({ userId: user.id, username: user.username, role })}\n`,
          );
        else process.stdout.write(`${user.username} is now ${role}\n`);
      } finally {
        await close();
      }
    });
}
