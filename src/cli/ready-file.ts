import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Where `osprey serve` leaves its ready line: `$DATA_DIR/ready.json` (default ./data). */
export function getReadyFilePath(dataDir: string | undefined): string {
  return join(dataDir?.trim() || "./data", "ready.json");
}

/** The sandbox part of a running server's ready line, when there is one to read. */
export interface ReadySandbox {
  readonly rpc: readonly string[];
  readonly swapApi?: string;
  readonly mints: Readonly<Record<string, string>>;
}

/** The ready file's sandbox fields; null when there is no file or it names no sandbox. */
export function readReadySandbox(env: NodeJS.ProcessEnv = process.env): ReadySandbox | null {
  let ready: Record<string, unknown>;
  try {
    const text = readFileSync(getReadyFilePath(env.DATA_DIR), "utf8");
    ready = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { rpc, swapApi, mints } = ready;
  if (!Array.isArray(rpc) || !rpc.every((url) => typeof url === "string")) return null;
  if (!mints || typeof mints !== "object") return null;
  return {
    rpc,
    ...(typeof swapApi === "string" ? { swapApi } : {}),
    mints: Object.fromEntries(
      Object.entries(mints).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    ),
  };
}
