import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  ensureSandboxAutomationKey,
  loadAutomationKey,
} from "../../src/automation/grants/automation-key.js";

const dir = mkdtempSync(join(tmpdir(), "osprey-automation-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("AUTOMATION_KEY loading", () => {
  const key = randomBytes(32);

  it("is off without either variable, and reads base64, base64url or hex", () => {
    expect(loadAutomationKey({})).toBeNull();
    expect(loadAutomationKey({ AUTOMATION_KEY: "" })).toBeNull();
    for (const text of [key.toString("base64"), key.toString("base64url"), key.toString("hex")])
      expect(loadAutomationKey({ AUTOMATION_KEY: ` ${text}\n` })).toEqual(key);
  });

  it.each([
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["63 hex digits", key.toString("hex").slice(1)],
    ["not base64", "this is not a key at all!"],
  ])("refuses a key %s with CONFIG_INVALID naming the variable, not the value", (_name, text) => {
    let caught: unknown;
    try {
      loadAutomationKey({ AUTOMATION_KEY: text });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: "CONFIG_INVALID",
      context: { variables: ["AUTOMATION_KEY"] },
    });
    expect(String((caught as Error).message)).toContain("AUTOMATION_KEY");
    expect(JSON.stringify(caught) + String((caught as Error).message)).not.toContain(text);
  });

  it("reads AUTOMATION_KEY_FILE, warns when others can read it, refuses a missing file", () => {
    const file = join(dir, "key");
    writeFileSync(file, key.toString("hex"), { mode: 0o600 });
    const warnings: string[] = [];
    expect(loadAutomationKey({ AUTOMATION_KEY_FILE: file }, (w) => warnings.push(w))).toEqual(key);
    expect(warnings).toEqual([]);
    chmodSync(file, 0o644);
    loadAutomationKey({ AUTOMATION_KEY_FILE: file }, (w) => warnings.push(w));
    expect(warnings).toHaveLength(1);
    expect(() => loadAutomationKey({ AUTOMATION_KEY_FILE: join(dir, "none") })).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
    writeFileSync(file, "short");
    expect(() => loadAutomationKey({ AUTOMATION_KEY_FILE: file })).toThrow(/AUTOMATION_KEY_FILE/);
    // AUTOMATION_KEY wins over the file.
    const other = randomBytes(32);
    const both = { AUTOMATION_KEY: other.toString("base64"), AUTOMATION_KEY_FILE: file };
    expect(loadAutomationKey(both)).toEqual(other);
  });

  it("makes the sandbox's key once, mode 0600, and keeps it", async () => {
    const dataDir = join(dir, "data");
    const made = await ensureSandboxAutomationKey(dataDir);
    expect(made).toHaveLength(32);
    const path = join(dataDir, "automation.key");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(path, "utf8").trim(), "base64")).toEqual(made);
    expect(await ensureSandboxAutomationKey(dataDir)).toEqual(made);
  });
});
