import { z } from "zod";

/** One endpoint's injected misbehaviour. All zero / false means a healthy endpoint. */
export const faultProfileSchema = z.strictObject({
  /** Added to every RPC response, in ms. */
  latencyMs: z.number().nonnegative().default(0),
  /** Extra uniformly random latency in [0, jitterMs). */
  jitterMs: z.number().nonnegative().default(0),
  /** Fraction of RPC requests answered with HTTP 503. */
  errorRate: z.number().min(0).max(1).default(0),
  /** Requests per second above which the endpoint answers 429 with Retry-After; null = unlimited. */
  rateLimit: z.number().positive().nullable().default(null),
  /** Fraction of sendTransaction calls answered with the signature but never landed. */
  dropSendRate: z.number().min(0).max(1).default(0),
  /** Slots this endpoint lags the tip: slot, block height, blockhash and statuses read older. */
  lagSlots: z.number().int().nonnegative().default(0),
  /** Listening sockets closed: connections are refused until brought back up. */
  down: z.boolean().default(false),
});

export type FaultProfile = z.infer<typeof faultProfileSchema>;
export type FaultProfileInput = z.input<typeof faultProfileSchema>;

export const HEALTHY_PROFILE: FaultProfile = faultProfileSchema.parse({});

/** Applies a partial change on top of the current profile (so `{down:false}` keeps the latency). */
export function mergeFaultProfile(current: FaultProfile, change: FaultProfileInput): FaultProfile {
  const merged = { ...current };
  for (const [key, value] of Object.entries(change)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return faultProfileSchema.parse(merged);
}
