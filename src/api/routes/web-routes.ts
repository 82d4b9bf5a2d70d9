import type { FastifyReply, FastifyRequest } from "fastify";
import { OspreyError } from "../../core/osprey-error.js";
import { createWebBundleReader, type WebFile } from "../../web/web-bundle.js";
import type { RouteModule } from "../api-types.js";
import { WEB_CSP } from "../security-headers.js";

export interface WebRoutesOptions {
  /** The built terminal (dist/web); read into memory, again after each rebuild. */
  readonly dir: string;
}

/** Paths that are never the page: an unknown one there is a JSON 404, whatever it accepts. */
const NOT_THE_PAGE = ["/v1", "/docs", "/metrics", "/healthz", "/readyz", "/assets"];

const IMMUTABLE = "public, max-age=31536000, immutable";

function isReserved(path: string): boolean {
  return NOT_THE_PAGE.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** `Accept-Encoding` allows gzip (or `*`) with a q above 0. */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? "").split(",").some((part) => {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    if (name.trim() !== "gzip" && name.trim() !== "*") return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed.replace(/^W\//, "") === etag;
  });
}

function send(request: FastifyRequest, reply: FastifyReply, file: WebFile) {
  reply
    .header("content-security-policy", WEB_CSP)
    .header("content-type", file.type)
    .header("etag", file.etag)
    .header("cache-control", file.immutable ? IMMUTABLE : "no-cache");
  if (file.gzip) reply.header("vary", "accept-encoding");
  if (matchesEtag(request.headers["if-none-match"], file.etag)) return reply.status(304).send();
  if (file.gzip && acceptsGzip(request.headers["accept-encoding"]))
    return reply.header("content-encoding", "gzip").send(file.gzip);
  return reply.send(file.body);
}

/**
 * The web terminal at `/`: its files from memory, gzipped when asked, and index.html for any
 * other page path a browser navigates to (the app routes on the client). Public: the page holds
 * no data; the API behind it checks every call.
 */
export function createWebRoutes(options: WebRoutesOptions): RouteModule {
  const readBundle = createWebBundleReader(options.dir);
  return (app) => {
    app.get("/", { schema: { hide: true } }, async (request, reply) => {
      const index = readBundle()?.files.get("/index.html");
      if (!index) throw new OspreyError("WEB_NOT_BUILT");
      return send(request, reply, index);
    });
    app.get("/assets/*", { schema: { hide: true } }, async (request, reply) => {
      const file = readBundle()?.files.get(request.url.split("?")[0] ?? "");
      return file ? send(request, reply, file) : reply.callNotFound();
    });
    // Anything else no route took: a file at the bundle's top, or a page path a browser asks
    // for. Done on the 404's own request, not by a catch-all route, which would also take the
    // paths the router refuses (a 10,000-character id is a 414, not the page).
    app.addHook("onRequest", async (request, reply) => {
      if (!request.is404 || (request.method !== "GET" && request.method !== "HEAD")) return;
      const path = request.url.split("?")[0] ?? "";
      if (isReserved(path)) return;
      const bundle = readBundle();
      const file =
        bundle?.files.get(path) ??
        (request.headers.accept?.includes("text/html")
          ? bundle?.files.get("/index.html")
          : undefined);
      if (file) return send(request, reply, file);
    });
  };
}
