import type { FastifyError } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import {
  ERROR_CODES,
  type ErrorCode,
  getHttpStatus,
  getRetryAfterSeconds,
  isErrorExposed,
} from "../core/error-codes.js";
import { isOspreyError, type OspreyError } from "../core/osprey-error.js";

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: unknown;
  };
}

export interface MappedError {
  readonly status: number;
  readonly body: ErrorBody;
  /** True when the error is ours (a bug or an outage), so it is logged at error level. */
  readonly serverFault: boolean;
  /** The `Retry-After` to send, in whole seconds: from the error's own wait, else the table. */
  readonly retryAfterSeconds?: number;
}

// Fastify's own client-side failures, by its stable error codes.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "MALFORMED_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "INVALID_INPUT",
  FST_ERR_VALIDATION: "INVALID_INPUT",
  // find-my-way's, through `frameworkErrors`: a malformed percent-encoding, a 10,000-character id.
  FST_ERR_BAD_URL: "MALFORMED_REQUEST",
  FST_ERR_MAX_PARAM_LENGTH: "URI_TOO_LONG",
};

// A wait the error measured (a rate-limit window, an upstream's Retry-After) beats the table's.
function getRetryAfter(error: OspreyError): number | undefined {
  const ms = error.context.retryAfterMs;
  if (typeof ms === "number" && Number.isFinite(ms) && ms >= 0)
    return Math.max(1, Math.ceil(ms / 1000));
  return getRetryAfterSeconds(error.code);
}

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

/** The error shape with the table's message, for answers written outside Fastify's reply. */
export function getErrorBody(code: ErrorCode): ErrorBody {
  return body(code, ERROR_CODES[code].message);
}

/** The one place that turns any thrown value into a status and the public error shape. */
export function mapError(error: unknown): MappedError {
  if (isOspreyError(error)) {
    const status = getHttpStatus(error.code);
    // A server-side message may carry internals (hosts, queries); clients get the table's wording.
    const exposed = isErrorExposed(error.code);
    const details = exposed && Object.keys(error.context).length > 0 ? error.context : undefined;
    const message = exposed ? error.message : ERROR_CODES[error.code].message;
    const retryAfterSeconds = getRetryAfter(error);
    return {
      status,
      body: body(error.code, message, details),
      serverFault: status >= 500,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: `${error.validationContext ?? "body"}${issue.instancePath.replaceAll("/", ".")}`,
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    return {
      status: 400,
      body: body("INVALID_INPUT", `Invalid request. ${summary}`, { issues }),
      serverFault: false,
    };
  }
  const mapped = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped)
    return {
      status: getHttpStatus(mapped),
      body: body(mapped, ERROR_CODES[mapped].message),
      serverFault: false,
    };
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return {
      status,
      body: body("INVALID_INPUT", fastifyError.message ?? ERROR_CODES.INVALID_INPUT.message),
      serverFault: false,
    };
  }
  return { status: 500, body: body("INTERNAL", ERROR_CODES.INTERNAL.message), serverFault: true };
}
