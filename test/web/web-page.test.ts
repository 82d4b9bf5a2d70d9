import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ARGON2_FLOOR_ENV } from "../support/argon2-floor.js";
import { describeUnless } from "../support/describe-unless.js";
import { type OspreyProcess, spawnOsprey } from "../support/spawn-osprey.js";
import {
  chromiumSkipReason,
  getSeriousAxeViolations,
  launchChromium,
  openWatchedPage,
  type PageWatch,
  pollInPage,
  saveScreenshot,
} from "./support/browser.js";

/** The app's own mark (`<html data-ready="1">`), or, before it sets one, its first render. */
const FIRST_SCREEN =
  'document.documentElement.dataset.ready === "1" || ' +
  '(document.readyState === "complete" && (document.getElementById("root")?.childElementCount ?? 0) > 0)';

function expectClean(watch: PageWatch) {
  expect(watch.errors, "console errors").toEqual([]);
  expect(watch.failedFiles, "files that failed to load").toEqual([]);
  expect(watch.cspViolations, "CSP violations").toEqual([]);
  expect(watch.foreignRequests, "requests to other origins").toEqual([]);
}

describeUnless(chromiumSkipReason, "the terminal in Chromium, served by `osprey serve`", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-web-page-"));
  let osprey: OspreyProcess;
  let web: string;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    osprey = spawnOsprey(["serve", "--port", "0", "--json"], {
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...ARGON2_FLOOR_ENV,
    });
    const [ready, launched] = await Promise.all([osprey.ready, launchChromium()]);
    browser = launched;
    web = String(ready.web);
    origin = new URL(web).origin;
    expect(web).toBe(`${String(ready.api)}/`);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    osprey?.child.kill("SIGTERM");
    await osprey?.exited();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("loads with no error, no CSP violation and no request to another origin", async () => {
    const { context, page, watch } = await openWatchedPage(browser, origin);
    try {
      await page.goto(web);
      await pollInPage(page, FIRST_SCREEN);
      expect(await page.title()).toContain("Osprey");
      await saveScreenshot(page, "first-screen");
      expectClean(watch);
      expect(await getSeriousAxeViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("opens a deep link the same way (the server answers page paths with index.html)", async () => {
    const { context, page, watch } = await openWatchedPage(browser, origin);
    try {
      const response = await page.goto(`${origin}/token/not-a-mint?from=link`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
      await pollInPage(page, FIRST_SCREEN);
      expectClean(watch);
    } finally {
      await context.close();
    }
  });

  it("would notice an inline script, an inline style or a request elsewhere (the watch works)", async () => {
    const { context, page, watch } = await openWatchedPage(browser, origin);
    try {
      await page.route("http://elsewhere.invalid/**", (route) => route.abort());
      await page.route(`${origin}/probe`, (route) =>
        route.fulfill({
          contentType: "text/html",
          headers: { "content-security-policy": "default-src 'self'; img-src *" },
          body: '<title>probe</title><img alt="" src="http://elsewhere.invalid/x.png"><script>1</script><p style="color:red">x</p>',
        }),
      );
      await page.goto(`${origin}/probe`);
      await expect.poll(() => watch.cspViolations.length).toBeGreaterThanOrEqual(2);
      expect(watch.foreignRequests).toEqual(["http://elsewhere.invalid/x.png"]);
    } finally {
      await context.close();
    }
  });

  it("keeps /docs (Swagger UI, its own CSP) working with no request elsewhere", async () => {
    const { context, page, watch } = await openWatchedPage(browser, origin);
    try {
      await page.goto(`${origin}/docs/`);
      await page.waitForSelector(".swagger-ui .info .title");
      expect(watch.cspViolations).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
      expect(watch.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
