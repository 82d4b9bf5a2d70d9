import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { assertStrictHtml, ensureWebBundle } from "../../src/web/build-web.js";
import { BUILD_STAMP, WEB_BUNDLE_DIR } from "../../src/web/web-bundle.js";

function digestTree(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) =>
    e.isFile(),
  );
  return Object.fromEntries(
    files.map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return [relative(dir, path), createHash("sha256").update(readFileSync(path)).digest("hex")];
    }),
  );
}

describe("building the web terminal (ensureWebBundle)", () => {
  const root = mkdtempSync(join(tmpdir(), "osprey-web-build-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("builds once for two callers at once (the lock is a directory any process sees), then reuses it", async () => {
    const outDir = join(root, "a/web");
    const results = await Promise.all([ensureWebBundle({ outDir }), ensureWebBundle({ outDir })]);
    expect(results.map((r) => r.built).sort()).toEqual([false, true]);
    expect(existsSync(join(outDir, BUILD_STAMP))).toBe(true);
    expect(existsSync(`${outDir}.lock`)).toBe(false);
    // Nothing left over from the swap.
    expect(readdirSync(join(root, "a"))).toEqual(["web"]);
    const files = Object.keys(digestTree(outDir));
    expect(files).toContain("index.html");
    expect(files.some((f) => /^assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
    expect(files.some((f) => f.endsWith(".map"))).toBe(false);
    expect((await ensureWebBundle({ outDir })).built).toBe(false);
  }, 120_000);

  it("gives the same bytes from the same sources (reproducible)", async () => {
    const first = join(root, "a/web");
    const second = join(root, "b/web");
    expect((await ensureWebBundle({ outDir: second, force: true })).built).toBe(true);
    expect(digestTree(second)).toEqual(digestTree(first));
  }, 120_000);

  it("builds the minified production bundle even under the test runner (NODE_ENV=test)", () => {
    // dist/web was built by the test run's globalSetup, in vitest's own process. The stamp hashes
    // only the sources, so whatever a test run builds there is what `npm start` serves next.
    expect(process.env.NODE_ENV).toBe("test");
    const assets = join(WEB_BUNDLE_DIR, "assets");
    const script = readdirSync(assets).find((name) => name.endsWith(".js")) ?? "";
    const js = readFileSync(join(assets, script), "utf8");
    expect(js.split("\n").length).toBeLessThan(50);
    // Outside production, packages resolve through their "development" export condition:
    // lightweight-charts' development build keeps names like _private__horzScaleBehavior and
    // nearly doubles the script (451 KB against 258 KB).
    expect(/_private__/.test(js)).toBe(false);
  });

  it("refuses a page with an inline script or another origin's file", () => {
    expect(() =>
      assertStrictHtml('<script type="module" src="/assets/a.js"></script>'),
    ).not.toThrow();
    expect(() => assertStrictHtml("<script>alert(1)</script>")).toThrow(/inline script/);
    expect(() => assertStrictHtml('<script type="module">import "/a.js"</script>')).toThrow();
    expect(() =>
      assertStrictHtml('<link rel="stylesheet" href="https://cdn.example/x.css">'),
    ).toThrow(/another origin/);
    expect(() => assertStrictHtml('<img src="//cdn.example/x.png">')).toThrow(/another origin/);
  });
});
