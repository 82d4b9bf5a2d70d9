import {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";

/** Probes that load balancers and scrapers call every few seconds: logged below `info`. */
const PROBE_PATHS: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);
const MAX_PATH_LENGTH = 200;
const ERROR_CODE = /^\{"error":\{"code":"([A-Z0-9_]{1,64})"/;

/** Error codes of the responses in flight, read back from the body the error handler wrote. */
const errorCodes = new WeakMap<FastifyRequest, string>();

/**
 * One line per request instead of Fastify's two, written when the response is done: method,
 * path (never the query string, which may carry more than a path should), status, milliseconds,
 * the request id (`reqId`, from the request's logger) and the error code of a refusal. Fastify's
 * other log lines (a failed serializer, a broken stream) are kept as they are.
 */
class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const path = (request.url.split("?")[0] ?? "").slice(0, MAX_PATH_LENGTH);
    const status = reply.statusCode;
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const code = errorCodes.get(request);
    const line = {
      method: request.method,
      path,
      status,
      ms,
      ...(code ? { code } : {}),
      ...(error ? { err: error } : {}),
    };
    const message = `${request.method} ${path} ${status} ${ms} ms`;
    if (error) request.log.error(line, message);
    // The terminal's hashed files: one page load fetches several, none of them news.
    else if (PROBE_PATHS.has(path) || (path.startsWith("/assets/") && status < 400))
      request.log.debug(line, message);
    else request.log.info(line, message);
  }
}

/** For Fastify's `logController` option: replaces its per-request lines with ours. */
export function createRequestLogController(): LogController {
  return new RequestLogController();
}

/** Notes each refusal's error code so that the request's one line can carry it. */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === "string") {
      const code = ERROR_CODE.exec(payload)?.[1];
      if (code) errorCodes.set(request, code);
    }
    return payload;
  });
}
