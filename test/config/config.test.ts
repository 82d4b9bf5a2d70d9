import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../../src/config/load-config.js";
import { isOspreyError, type OspreyError } from "../../src/core/osprey-error.js";

function failure(env: Record<string, string>): OspreyError {
  try {
    parseConfig(env);
  } catch (error) {
    if (isOspreyError(error, "CONFIG_INVALID")) return error;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("config", () => {
  it("has embedded defaults: SQLite under ./data, in-process kv, sandbox chain, 85 bps", () => {
    const config = parseConfig({});
    expect(config.database).toEqual({ kind: "sqlite", path: "data/osprey.db" });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.embeddedChain).toBe(true);
    expect(config.FEE_BPS).toBe(85);
    expect(config.PORT).toBe(3000);
    expect(config.LANDER_POLL_MS).toBe(100);
    expect(config.RPC_BATCH_MAX).toBe(50);
    expect(config.ORDER_CONCURRENCY).toBe(32);
  });

  it("accepts PostgreSQL and sqlite: URLs", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://u@h:5432/db" }).database).toEqual({
      kind: "postgres",
      url: "postgres://u@h:5432/db",
    });
    expect(parseConfig({ DATABASE_URL: "sqlite:/tmp/x.db" }).database).toEqual({
      kind: "sqlite",
      path: "/tmp/x.db",
    });
  });

  it.each(["mysql://root@localhost/db", "not a url", "postgres://", "http://example.com"])(
    "rejects DATABASE_URL=%j with a message naming the variable",
    (value) => {
      const error = failure({ DATABASE_URL: value });
      expect(error.message).toContain("DATABASE_URL");
      expect(error.message).toMatch(/expected a postgres:\/\/|well-formed/);
      expect(error.context.variables).toEqual(["DATABASE_URL"]);
    },
  );

  it("names every bad variable at once", () => {
    const error = failure({
      PORT: "eighty",
      FEE_BPS: "2000",
      FEE_WALLET: "nope",
      REDIS_URL: "localhost:6379",
      LANDER_POLL_MS: "0",
      RPC_BATCH_MAX: "1.5",
      ORDER_CONCURRENCY: "0",
    });
    for (const name of [
      "PORT",
      "FEE_BPS",
      "FEE_WALLET",
      "REDIS_URL",
      "LANDER_POLL_MS",
      "RPC_BATCH_MAX",
      "ORDER_CONCURRENCY",
    ])
      expect(error.message).toContain(name);
  });

  it("trusts no proxy by default; TRUST_PROXY takes addresses, CIDR ranges or a hop count", () => {
    expect(parseConfig({}).TRUST_PROXY).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: "" }).TRUST_PROXY).toBeUndefined();
    expect(parseConfig({ TRUST_PROXY: "127.0.0.1" }).TRUST_PROXY).toEqual(["127.0.0.1"]);
    expect(
      parseConfig({ TRUST_PROXY: " 10.0.0.5, 10.1.0.0/16 ,::1,fd00::/8,loopback" }).TRUST_PROXY,
    ).toEqual(["10.0.0.5", "10.1.0.0/16", "::1", "fd00::/8", "loopback"]);
    expect(parseConfig({ TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
  });

  it.each([
    ["true", /any client choose its own address/],
    ["*", /any client choose its own address/],
    ["0", /out of range/],
    ["11", /out of range/],
    ["10.0.0.1,proxy.local", /not an address: "proxy.local"/],
    ["10.0.0.0/33", /not an address/],
    ["10.0.0.0/8/1", /not an address/],
    ["::1/129", /not an address/],
    ["10.0.0.1,,10.0.0.2", /not an address: ""/],
    ["-1", /not an address/],
  ])("refuses TRUST_PROXY=%j with a message naming it", (value, reason) => {
    const error = failure({ TRUST_PROXY: value });
    expect(error.context.variables).toEqual(["TRUST_PROXY"]);
    expect(error.message).toMatch(/TRUST_PROXY: expected a hop count/);
    expect(error.message).toMatch(reason);
  });

  it("bounds slow clients by default, and refuses a headers timeout above the request timeout", () => {
    const config = parseConfig({});
    expect(config.HTTP_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(config.HTTP_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(config.HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(72_000);
    const error = failure({ HTTP_HEADERS_TIMEOUT_MS: "5000", HTTP_REQUEST_TIMEOUT_MS: "1000" });
    expect(error.context.variables).toEqual(["HTTP_HEADERS_TIMEOUT_MS"]);
    expect(error.message).toContain("HTTP_REQUEST_TIMEOUT_MS");
    expect(failure({ HTTP_REQUEST_TIMEOUT_MS: "0" }).message).toContain("HTTP_REQUEST_TIMEOUT_MS");
  });

  it("treats an empty value as unset", () => {
    expect(parseConfig({ PORT: "", DATABASE_URL: "" }).PORT).toBe(3000);
  });

  it("reads .env, and the process environment wins over it", () => {
    const dir = mkdtempSync(join(tmpdir(), "osprey-env-"));
    const file = join(dir, ".env");
    writeFileSync(file, "PORT=4000\nFEE_BPS=50\n# comment\n");
    const config = loadConfig({ FEE_BPS: "10" }, file);
    expect(config.PORT).toBe(4000);
    expect(config.FEE_BPS).toBe(10);
  });
});
