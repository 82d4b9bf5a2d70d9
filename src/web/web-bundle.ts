import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** Where `npm start` builds the terminal and the API server serves it from (git-ignored). */
export const WEB_BUNDLE_DIR = fileURLToPath(new URL("../../dist/web", import.meta.url));

/** Written last by the build, beside the bundle: the hash of the sources it was built from. */
export const BUILD_STAMP = ".osprey-build.json";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".webmanifest": "application/manifest+json",
};

const COMPRESSIBLE = new Set([
  ".html",
  ".js",
  ".mjs",
  ".css",
  ".json",
  ".map",
  ".txt",
  ".svg",
  ".ico",
  ".webmanifest",
]);

export function getContentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

export function isCompressible(path: string): boolean {
  return COMPRESSIBLE.has(extname(path).toLowerCase());
}

export interface WebFile {
  readonly body: Buffer;
  /** Gzipped, when that is smaller. */
  readonly gzip: Buffer | null;
  readonly type: string;
  readonly etag: string;
  /** Under /assets/: the name carries a content hash, so it never changes. */
  readonly immutable: boolean;
}

export interface WebBundle {
  /** By URL path: "/index.html", "/assets/index-3f2a.js". */
  readonly files: ReadonlyMap<string, WebFile>;
  /** The stamp's modification time: a new build changes it. */
  readonly stampedAt: number;
}

function readGzip(file: string, body: Buffer): Buffer | null {
  if (!isCompressible(file)) return null;
  let gzip: Buffer;
  try {
    gzip = readFileSync(`${file}.gz`);
  } catch {
    gzip = gzipSync(body, { level: 9 });
  }
  return gzip.length < body.length ? gzip : null;
}

/** The whole bundle in memory (a few hundred KB), or null when it has not been built. */
export function loadWebBundle(dir: string): WebBundle | null {
  let stampedAt: number;
  try {
    stampedAt = statSync(join(dir, BUILD_STAMP)).mtimeMs;
  } catch {
    return null;
  }
  const files = new Map<string, WebFile>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || entry.name.startsWith(".") || entry.name.endsWith(".gz")) continue;
    const file = join(entry.parentPath, entry.name);
    const path = `/${relative(dir, file).split(sep).join("/")}`;
    const body = readFileSync(file);
    const digest = createHash("sha256").update(body).digest("base64url").slice(0, 27);
    files.set(path, {
      body,
      gzip: readGzip(file, body),
      type: getContentType(file),
      etag: `"${digest}"`,
      immutable: path.startsWith("/assets/"),
    });
  }
  return files.has("/index.html") ? { files, stampedAt } : null;
}

/** Reads the bundle again only when a build has replaced it since. */
export function createWebBundleReader(dir: string): () => WebBundle | null {
  let current: WebBundle | null = null;
  return () => {
    let stampedAt: number | null = null;
    try {
      stampedAt = statSync(join(dir, BUILD_STAMP)).mtimeMs;
    } catch {
      // Mid-swap or not built: keep serving what is loaded.
    }
    if (stampedAt !== null && stampedAt !== current?.stampedAt)
      current = loadWebBundle(dir) ?? current;
    return current;
  };
}
