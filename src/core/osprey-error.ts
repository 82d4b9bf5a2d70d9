import { ERROR_CODES, type ErrorCode } from "./error-codes.js";

export type ErrorContext = Readonly<Record<string, unknown>>;

/** The one error class of Osprey: a stable code, structured context, and a readable message. */
export class OspreyError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message?: string,
    context: ErrorContext = {},
    options?: ErrorOptions,
  ) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = "OspreyError";
    this.code = code;
    this.context = context;
  }
}

export function isOspreyError(error: unknown, code?: ErrorCode): error is OspreyError {
  return error instanceof OspreyError && (code === undefined || error.code === code);
}

export function ospreyError(
  code: ErrorCode,
  message?: string,
  context?: ErrorContext,
  options?: ErrorOptions,
): OspreyError {
  return new OspreyError(code, message, context, options);
}
