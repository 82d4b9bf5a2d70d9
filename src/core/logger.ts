import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log line. Secrets also never get passed to
 * the logger on purpose; this is the net under that rule.
 */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-trading-session"]',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "password",
  "newPassword",
  "secretKey",
  "privateKey",
  "token",
  "sessionToken",
  "key",
  "*.password",
  "*.newPassword",
  "*.secretKey",
  "*.privateKey",
  "*.token",
  "*.sessionToken",
  "*.key",
  "*.apiKey",
  "*.csrfToken",
  "*.envelope",
];

export interface LoggerSettings {
  readonly level: LoggerOptions["level"];
  readonly name?: string;
  /** Where lines go; stderr by default so stdout stays free for the --json ready line. */
  readonly destination?: DestinationStream;
}

export function createLogger(settings: LoggerSettings): Logger {
  return pino(
    {
      level: settings.level ?? "info",
      ...(settings.name ? { name: settings.name } : {}),
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    settings.destination ?? pino.destination({ fd: 2, sync: false }),
  );
}
