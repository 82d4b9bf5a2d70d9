import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OspreyError } from "../../core/osprey-error.js";

const KEY_BYTES = 32;

/** Where `serve` keeps the embedded sandbox's automation key when none is configured. */
export const SANDBOX_AUTOMATION_KEY_FILE = "automation.key";

type KeyVariable = "AUTOMATION_KEY" | "AUTOMATION_KEY_FILE";

// The message names the variable and the expected form, never the value.
function invalid(variable: KeyVariable, problem: string): OspreyError {
  return new OspreyError("CONFIG_INVALID", `Invalid configuration. ${variable}: ${problem}`, {
    variables: [variable],
  });
}

/** 32 bytes from 64 hex digits or from base64; CONFIG_INVALID (naming `variable`) otherwise. */
export function parseAutomationKey(text: string, variable: KeyVariable): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(value) || /^[A-Za-z0-9_-]+$/.test(value)) {
    const bytes = Buffer.from(
      value,
      value.includes("-") || value.includes("_") ? "base64url" : "base64",
    );
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw invalid(variable, `expected exactly ${KEY_BYTES} bytes as base64 or 64 hex digits`);
}

export interface AutomationKeySettings {
  readonly AUTOMATION_KEY?: string | undefined;
  readonly AUTOMATION_KEY_FILE?: string | undefined;
}

/**
 * The operator's automation key from AUTOMATION_KEY, else the file AUTOMATION_KEY_FILE names;
 * null when neither is set (automation off). A file others can read is used, with a warning.
 */
export function loadAutomationKey(
  settings: AutomationKeySettings,
  warn: (message: string) => void = () => undefined,
): Buffer | null {
  if (settings.AUTOMATION_KEY) return parseAutomationKey(settings.AUTOMATION_KEY, "AUTOMATION_KEY");
  const file = settings.AUTOMATION_KEY_FILE;
  if (!file) return null;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw invalid("AUTOMATION_KEY_FILE", `cannot read the file (${code})`);
  }
  if ((statSync(file).mode & 0o077) !== 0)
    warn("AUTOMATION_KEY_FILE can be read by other users of this machine: chmod 600 it.");
  return parseAutomationKey(text, "AUTOMATION_KEY_FILE");
}

/**
 * The embedded sandbox's automation key, made once in DATA_DIR (mode 0600) so `npm start` has
 * automation; real endpoints never get one implicitly.
 */
export async function ensureSandboxAutomationKey(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, SANDBOX_AUTOMATION_KEY_FILE);
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(path, `${randomBytes(KEY_BYTES).toString("base64")}\n`, {
      mode: 0o600,
      flag: "wx",
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseAutomationKey(await readFile(path, "utf8"), "AUTOMATION_KEY_FILE");
}
