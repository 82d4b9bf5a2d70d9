import type { ZodApp } from "./api-types.js";

/** A page's policy: its own origin only, no framing; pages differ in `style-src` alone. */
const pageCsp = (styleSrc: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSrc}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");

/** The terminal's page: its own scripts, styles, images and API only (CONTRACTS17 "Web"). */
export const WEB_CSP = pageCsp("'self'");

/**
 * Swagger UI at /docs: its scripts are files too, but React sets `style` attributes from markup,
 * so styles are looser there, and only there.
 */
export const DOCS_CSP = pageCsp("'self' 'unsafe-inline'");

/** JSON, metrics, errors: nothing in them may run or load anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const isDocs = (url: string) =>
  url === "/docs" || url.startsWith("/docs/") || url.startsWith("/docs?");

/** What every API answer carries, also those written outside Fastify's routes (framework-errors). */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "content-security-policy": API_CSP,
};

/**
 * Headers every answer carries; the web routes replace the CSP with the page's. Set before the
 * route runs, so refusals and errors carry them too.
 */
export function registerSecurityHeaders(app: ZodApp): void {
  app.addHook("onRequest", async (request, reply) => {
    reply.headers(API_SECURITY_HEADERS);
    if (isDocs(request.url)) reply.header("content-security-policy", DOCS_CSP);
  });
}
