import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { Logger as ViteLogger } from "vite";
import { BUILD_STAMP, isCompressible, WEB_BUNDLE_DIR } from "./web-bundle.js";

const SOURCE_DIR = fileURLToPath(new URL(".", import.meta.url));
const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));

/** A lock older than this is a crashed build's, whatever its pid says. */
const STALE_LOCK_MS = 5 * 60_000;
const LOCK_WAIT_MS = 3 * 60_000;

export interface WebBuildResult {
  readonly dir: string;
  /** False when the bundle on disk already matched the sources. */
  readonly built: boolean;
  readonly ms: number;
  /** What Vite warned about, for the caller to print where it wants (never stdout). */
  readonly warnings: readonly string[];
}

export interface EnsureWebBundleOptions {
  readonly outDir?: string;
  /** Build even when the stamp matches. */
  readonly force?: boolean;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** What the bundle is made of: every file under src/web (the config too) and the lockfile. */
export async function getWebSourceHash(): Promise<string> {
  const hash = createHash("sha256");
  const files = [...(await listFiles(SOURCE_DIR)), join(PROJECT_DIR, "package-lock.json")];
  for (const file of files) {
    hash.update(relative(PROJECT_DIR, file)).update("\0");
    hash.update(await readFile(file)).update("\0");
  }
  return hash.digest("hex");
}

async function readStampHash(outDir: string): Promise<string | null> {
  try {
    const stamp = JSON.parse(await readFile(join(outDir, BUILD_STAMP), "utf8")) as {
      hash?: unknown;
    };
    return typeof stamp.hash === "string" ? stamp.hash : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isStaleLock(lockDir: string): Promise<boolean> {
  try {
    const owner = JSON.parse(await readFile(join(lockDir, "owner.json"), "utf8")) as {
      pid: number;
      at: number;
    };
    return !isAlive(owner.pid) || Date.now() - owner.at > STALE_LOCK_MS;
  } catch {
    // No owner yet: taken a moment ago, or its taker died between mkdir and write.
    const info = await stat(lockDir).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > 10_000;
  }
}

/** One build at a time across processes: mkdir is atomic; a dead owner's lock is taken over. */
async function withBuildLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      if (await isStaleLock(lockDir)) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`${lockDir} is held by another build`);
      else await sleep(100);
    }
  }
  try {
    await writeFile(
      join(lockDir, "owner.json"),
      JSON.stringify({ pid: process.pid, at: Date.now() }),
    );
    return await body();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function collectingLogger(warnings: string[]): ViteLogger {
  const keep = (message: string) => void warnings.push(message);
  return {
    hasWarned: false,
    info: () => {},
    warn: keep,
    warnOnce: keep,
    error: keep,
    clearScreen: () => {},
    hasErrorLogged: () => false,
  };
}

const INLINE_SCRIPT = /<script\b(?![^>]*\bsrc=)[^>]*>/i;
const EXTERNAL_URL = /\b(?:src|href)=["']?(?:https?:)?\/\//i;

/** The page's CSP allows no inline script and no other origin: refuse a bundle that needs either. */
export function assertStrictHtml(html: string): void {
  if (INLINE_SCRIPT.test(html)) throw new Error("dist/web/index.html has an inline script");
  if (EXTERNAL_URL.test(html)) throw new Error("dist/web/index.html refers to another origin");
}

const gzipAsync = promisify(gzip);

/** Vite into a fresh directory, gzip beside each text file, the stamp last. */
async function buildInto(dir: string, hash: string, warnings: string[]): Promise<void> {
  const [{ build }, { default: config }] = await Promise.all([
    import("vite"),
    import("./vite.config.js"),
  ]);
  // Always the production build: Vite and Preact read NODE_ENV, and under a test runner
  // (NODE_ENV=test) they would emit an unminified development bundle that the stamp, which
  // hashes only the sources, would then hand to `npm start`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      ...config,
      mode: "production",
      configFile: false,
      envDir: false,
      logLevel: "warn",
      customLogger: collectingLogger(warnings),
      build: {
        ...config.build,
        outDir: dir,
        emptyOutDir: true,
        // The polyfill is for browsers without modulepreload; every supported one has it.
        modulePreload: { polyfill: false },
        sourcemap: false,
        // Every asset a file of its own: no data: fonts for the CSP to refuse.
        assetsInlineLimit: 0,
        reportCompressedSize: false,
        copyPublicDir: true,
      },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  assertStrictHtml(await readFile(join(dir, "index.html"), "utf8"));
  for (const file of await listFiles(dir)) {
    if (!isCompressible(file)) continue;
    await writeFile(`${file}.gz`, await gzipAsync(await readFile(file), { level: 9 }));
  }
  await writeFile(join(dir, BUILD_STAMP), `${JSON.stringify({ hash })}\n`);
}

/**
 * Builds the terminal into dist/web unless the bundle there was built from the same sources.
 * Safe to call from several processes at once: one builds, the others wait and reuse it.
 */
export async function ensureWebBundle(
  options: EnsureWebBundleOptions = {},
): Promise<WebBuildResult> {
  const started = performance.now();
  const outDir = options.outDir ?? WEB_BUNDLE_DIR;
  const hash = await getWebSourceHash();
  const done = (built: boolean, warnings: string[] = []) => ({
    dir: outDir,
    built,
    ms: Math.round(performance.now() - started),
    warnings,
  });
  if (!options.force && (await readStampHash(outDir)) === hash) return done(false);
  const parent = join(outDir, "..");
  await mkdir(parent, { recursive: true });
  return withBuildLock(`${outDir}.lock`, async () => {
    // Another process may have built it while this one waited for the lock.
    if (!options.force && (await readStampHash(outDir)) === hash) return done(false);
    const warnings: string[] = [];
    const fresh = `${outDir}.new-${process.pid}`;
    const old = `${outDir}.old-${process.pid}`;
    try {
      await buildInto(fresh, hash, warnings);
      // Servers hold the bundle in memory, so swapping the directory under them is safe.
      if (existsSync(outDir)) await rename(outDir, old);
      await rename(fresh, outDir);
    } finally {
      await Promise.all([fresh, old].map((dir) => rm(dir, { recursive: true, force: true })));
    }
    return done(true, warnings);
  });
}

// `npm run build:web [-- --force]`: messages on stderr only.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  ensureWebBundle({ force: process.argv.includes("--force") }).then(
    (result) => {
      for (const warning of result.warnings) process.stderr.write(`${warning}\n`);
      const what = result.built ? "built" : "up to date";
      process.stderr.write(`web terminal ${what}: ${result.dir} (${result.ms} ms)\n`);
    },
    (error: unknown) => {
      process.stderr.write(`web terminal build failed: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
