import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { OspreyError } from "../core/osprey-error.js";
import { type Config, configSchema, type DatabaseTarget } from "./config-schema.js";

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Validates settings; the error names each bad variable and what was expected, so start-up
 * fails with one readable message instead of a stack trace deep in a driver.
 */
export function parseConfig(env: Environment): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new OspreyError("CONFIG_INVALID", `Invalid configuration. ${problems.join("; ")}`, {
      variables: parsed.error.issues.map((issue) => issue.path.join(".")),
    });
  }
  const { DATABASE_URL, ...rest } = parsed.data;
  if (rest.HTTP_HEADERS_TIMEOUT_MS > rest.HTTP_REQUEST_TIMEOUT_MS) {
    // Node would silently cut off at the request timeout first: say so instead.
    throw new OspreyError(
      "CONFIG_INVALID",
      `Invalid configuration. HTTP_HEADERS_TIMEOUT_MS: expected at most HTTP_REQUEST_TIMEOUT_MS (${rest.HTTP_REQUEST_TIMEOUT_MS})`,
      { variables: ["HTTP_HEADERS_TIMEOUT_MS"] },
    );
  }
  return {
    ...rest,
    database: getDatabaseTarget(DATABASE_URL, rest.DATA_DIR),
    embeddedChain: rest.SOLANA_RPC_URLS === undefined,
  };
}

function getDatabaseTarget(url: string | undefined, dataDir: string): DatabaseTarget {
  if (url === undefined) return { kind: "sqlite", path: join(dataDir, "osprey.db") };
  if (url.startsWith("postgres")) return { kind: "postgres", url };
  return { kind: "sqlite", path: url.replace(/^(sqlite|file):(\/\/)?/, "") };
}

/** The process environment over `.env` (if present): a variable set in the shell wins. */
export function readEnvironment(env: Environment = process.env, envFile = ".env"): Environment {
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
  return { ...fromFile, ...env };
}

/** Reads `.env` (if present) under the process environment, then validates the settings. */
export function loadConfig(env: Environment = process.env, envFile = ".env"): Config {
  return parseConfig(readEnvironment(env, envFile));
}
