import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_CSP, DOCS_CSP, WEB_CSP } from "../../src/api/security-headers.js";
import { BUILD_STAMP, WEB_BUNDLE_DIR } from "../../src/web/web-bundle.js";
import { startTestApp } from "../support/test-app.js";

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A GET exactly as given: fetch would add Accept-Encoding and undo the gzip. */
function get(url: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

const json = (answer: Answer) =>
  JSON.parse(answer.body.toString("utf8")) as { error: { code: string; message: string } };

/** Every header the contract puts on the page. */
function expectPageHeaders(answer: Answer) {
  expect(answer.headers["content-security-policy"]).toBe(
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
      "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
      "form-action 'self'",
  );
  expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  expect(answer.headers["referrer-policy"]).toBe("no-referrer");
  expect(answer.headers["x-frame-options"]).toBe("DENY");
  expect(answer.headers["cross-origin-opener-policy"]).toBe("same-origin");
}

describe("the web terminal served by the API server (the built bundle in dist/web)", () => {
  let server: Awaited<ReturnType<typeof startTestApp>>;
  let html: string;
  let assets: string[];
  beforeAll(async () => {
    server = await startTestApp();
    html = readFileSync(join(WEB_BUNDLE_DIR, "index.html"), "utf8");
    assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  });
  afterAll(() => server.close());

  it("serves index.html at / with the page's headers, revalidated every time", async () => {
    const page = await get(`${server.url}/`);
    expect(page.status).toBe(200);
    expectPageHeaders(page);
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.body.toString("utf8")).toBe(html);
    expect(WEB_CSP).not.toContain("unsafe");

    // Its scripts are files: nothing inline for the CSP to refuse, nothing from elsewhere.
    expect(assets.some((path) => path.endsWith(".js"))).toBe(true);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);

    const again = await get(`${server.url}/`, { "if-none-match": String(page.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await get(`${server.url}/`, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-security-policy"]).toBe(WEB_CSP);
  });

  it("serves the hashed assets with their types, cached for good, gzipped when asked", async () => {
    for (const path of assets) {
      const plain = await get(`${server.url}${path}`);
      expect(plain.status, path).toBe(200);
      expect(plain.headers["content-type"]).toBe(
        path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8",
      );
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(plain.body.equals(readFileSync(join(WEB_BUNDLE_DIR, path)))).toBe(true);

      const zipped = await get(`${server.url}${path}`, { "accept-encoding": "br, gzip" });
      expect(zipped.headers["content-encoding"]).toBe("gzip");
      expect(zipped.headers.vary).toBe("accept-encoding");
      expect(zipped.body.length).toBeLessThan(plain.body.length);
      expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);

      const refused = await get(`${server.url}${path}`, { "accept-encoding": "gzip;q=0" });
      expect(refused.headers["content-encoding"]).toBeUndefined();
    }
  });

  it("answers a page path a browser navigates to with index.html, and nothing else", async () => {
    const deep = await get(`${server.url}/token/So11111111111111111111111111111111111111112?x=1`, {
      accept: "text/html,application/xhtml+xml,*/*;q=0.8",
    });
    expect(deep.status).toBe(200);
    expectPageHeaders(deep);
    expect(deep.body.toString("utf8")).toBe(html);

    // Not asking for a page: the API's 404.
    const notPage = await get(`${server.url}/token/x`, { accept: "application/json" });
    expect(notPage.status).toBe(404);
    expect(json(notPage).error.code).toBe("ROUTE_NOT_FOUND");
  });

  it.each([
    "/v1/nowhere",
    "/v1",
    "/docs/nowhere",
    "/metrics/x",
    "/healthz/x",
    "/readyz/x",
    "/assets/missing-0000.js",
  ])("keeps %s a JSON 404 even for a browser", async (path) => {
    const answer = await get(`${server.url}${path}`, { accept: "text/html" });
    expect(answer.status).toBe(404);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(json(answer)).toEqual({
      error: { code: "ROUTE_NOT_FOUND", message: `No route GET ${path}.` },
    });
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toBe(
      path.startsWith("/docs/") ? DOCS_CSP : API_CSP,
    );
  });

  it("puts the security headers on API answers too; /docs gets its own CSP and works", async () => {
    const health = await get(`${server.url}/healthz`);
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    expect(health.headers["referrer-policy"]).toBe("no-referrer");
    expect(health.headers["content-security-policy"]).toBe(API_CSP);
    // Also on what the router refuses before any route runs.
    const tooLong = await get(`${server.url}/v1/wallets/${"a".repeat(10_000)}`);
    expect(tooLong.status).toBe(414);
    expect(tooLong.headers["x-content-type-options"]).toBe("nosniff");
    expect(tooLong.headers["content-security-policy"]).toBe(API_CSP);
    const docs = await get(`${server.url}/docs/`);
    expect(docs.status).toBe(200);
    expect(docs.headers["content-security-policy"]).toBe(DOCS_CSP);
    expect((await get(`${server.url}/docs/json`)).status).toBe(200);
  });
});

describe("a bundle that is missing or rebuilt while the server runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "osprey-web-"));
  let server: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    server = await startTestApp({}, { webDir: dir });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 WEB_NOT_BUILT until a build lands, then serves it, and the next one", async () => {
    const missing = await get(`${server.url}/`, { accept: "text/html" });
    expect(missing.status).toBe(503);
    expect(json(missing).error.code).toBe("WEB_NOT_BUILT");
    expect(missing.headers["retry-after"]).toBe("5");

    const write = (body: string, mtime: number) => {
      mkdirSync(join(dir, "assets"), { recursive: true });
      writeFileSync(join(dir, "index.html"), body);
      writeFileSync(join(dir, "assets/app-1.css"), "body{margin:0}".repeat(40));
      writeFileSync(join(dir, ".secret"), "not served");
      writeFileSync(join(dir, BUILD_STAMP), "{}");
      utimesSync(join(dir, BUILD_STAMP), mtime, mtime);
    };
    write("<!doctype html><title>one</title>", 1_000);
    expect((await get(`${server.url}/`)).body.toString()).toContain("one");
    // Gzipped on load when the build left no .gz beside the file.
    const css = await get(`${server.url}/assets/app-1.css`, { "accept-encoding": "gzip" });
    expect(css.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(css.body).toString()).toBe("body{margin:0}".repeat(40));
    expect((await get(`${server.url}/.secret`, { accept: "text/html" })).body.toString()).toContain(
      "one",
    );
    expect((await get(`${server.url}/${BUILD_STAMP}`)).status).toBe(404);

    write("<!doctype html><title>two</title>", 2_000);
    expect((await get(`${server.url}/`)).body.toString()).toContain("two");
  });
});
