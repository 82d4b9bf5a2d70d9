import { z } from "zod";

const fields = {
  /** Added to every RPC response, in ms. */
  latencyMs: z.number().nonnegative(),
  /** Extra uniformly random latency in [0, jitterMs). */
  jitterMs: z.number().nonnegative(),
  /** Fraction of RPC requests answered with HTTP 503. */
  errorRate: z.number().min(0).max(1),
  /** Requests per second above which the endpoint answers 429 with Retry-After; null = unlimited. */
  rateLimit: z.number().positive().nullable(),
  /** Fraction of sendTransaction calls answered with the signature but never landed. */
  dropSendRate: z.number().min(0).max(1),
  /**
   * Congestion: an accepted (not dropped) send waits this long before it reaches the chain; the
   * answer still comes at once. Private routes (block engine, sender) never wait.
   */
  sendDelayMs: z.number().int().nonnegative().max(60_000),
  /** Slots this endpoint lags the tip: slot, block height, blockhash and statuses read older. */
  lagSlots: z.number().int().nonnegative(),
  /** Listening sockets closed: connections are refused until brought back up. */
  down: z.boolean(),
};

/** One endpoint's injected misbehaviour. All zero / false means a healthy endpoint. */
export const faultProfileSchema = z.strictObject(fields);
export type FaultProfile = z.infer<typeof faultProfileSchema>;

/** A change to a profile: only the fields given are changed (so `{down:false}` keeps the latency). */
export const faultProfileChangeSchema = faultProfileSchema.partial();
export type FaultProfileInput = z.input<typeof faultProfileChangeSchema>;

export const HEALTHY_PROFILE: FaultProfile = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  rateLimit: null,
  dropSendRate: 0,
  sendDelayMs: 0,
  lagSlots: 0,
  down: false,
};

export function mergeFaultProfile(current: FaultProfile, change: FaultProfileInput): FaultProfile {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(faultProfileChangeSchema.parse(change))) {
    if (value !== undefined) merged[key] = value;
  }
  return faultProfileSchema.parse(merged);
}

/**
 * Named profiles the admin API applies in one call (`{ endpoint, preset }`). `congestion` is a
 * busy mainnet as a public RPC sees it: most sends never reach a leader, and the rest arrive two
 * slots late, while tipped private sends (block engine, sender) land at the next block.
 */
export const FAULT_PRESETS = {
  healthy: HEALTHY_PROFILE,
  congestion: { dropSendRate: 0.7, sendDelayMs: 800 },
} as const satisfies Record<string, FaultProfileInput>;
export type FaultPresetName = keyof typeof FAULT_PRESETS;
export const FAULT_PRESET_NAMES = Object.keys(FAULT_PRESETS) as [
  FaultPresetName,
  ...FaultPresetName[],
];
