import type { IncomingMessage, ServerResponse } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type ErrorCode, getHttpStatus, getRetryAfterSeconds } from "../core/error-codes.js";
import type { ZodApp } from "./api-types.js";
import { getErrorBody, mapError } from "./error-body.js";
import { API_SECURITY_HEADERS } from "./security-headers.js";

const RAW_SECURITY_HEADERS = Object.entries(API_SECURITY_HEADERS)
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join("");

const JSON_TYPE = "application/json; charset=utf-8";

/** find-my-way's own refusals (a malformed percent-encoding, a too-long parameter), in our shape. */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const mapped = mapError(error);
  request.log.debug({ code: mapped.body.error.code }, "request refused");
  return reply
    .headers(API_SECURITY_HEADERS)
    .header("x-request-id", request.id)
    .status(mapped.status)
    .send(mapped.body);
}

function getClientErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  switch (error.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return "REQUEST_TIMEOUT";
    case "HPE_HEADER_OVERFLOW":
      return "HEADERS_TOO_LARGE";
    default:
      return "MALFORMED_REQUEST";
  }
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (a malformed request line or
 * header, headers too large, a client too slow to send them): answered in the contract's shape,
 * then the connection is closed, as Node and Fastify do by default.
 */
export function answerClientError(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Duplex,
): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const code = getClientErrorCode(error);
  this.log.debug({ code, cause: error.code }, "client error");
  // A response already on its way cannot be replaced by another; the socket just ends.
  const pending = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !pending?.headersSent) {
    const status = getHttpStatus(code);
    const body = JSON.stringify(getErrorBody(code));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${JSON_TYPE}\r\n${RAW_SECURITY_HEADERS}` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function send(response: ServerResponse, code: ErrorCode): void {
  const body = JSON.stringify(getErrorBody(code));
  response.writeHead(getHttpStatus(code), {
    ...API_SECURITY_HEADERS,
    "content-type": JSON_TYPE,
    "content-length": Buffer.byteLength(body),
    connection: "close",
  });
  response.end(body);
}

/**
 * The two answers Node and Fastify give by themselves after a request is parsed, in our shape: an
 * `Expect` other than 100-continue (Node's bare 417), and a request arriving on a kept-alive
 * connection while the server closes (Fastify's own 503 body, hence `return503OnClosing: false`).
 */
export function shapeServerAnswers(app: ZodApp): void {
  app.server.on("checkExpectation", (_request: IncomingMessage, response: ServerResponse) =>
    send(response, "EXPECTATION_FAILED"),
  );
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onRequest", async (_request, reply) => {
    if (closing)
      return reply
        .status(getHttpStatus("SHUTTING_DOWN"))
        .header("connection", "close")
        .header("retry-after", String(getRetryAfterSeconds("SHUTTING_DOWN")))
        .send(getErrorBody("SHUTTING_DOWN"));
  });
}
