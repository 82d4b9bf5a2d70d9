import { z } from "zod";
import { OspreyError } from "../core/index.js";
import { redactUrl } from "../core/redact-url.js";

export const TIP_PERCENTILES = [25, 50, 75, 95, 99] as const;
export type TipPercentile = (typeof TIP_PERCENTILES)[number];

/** Jito's recent landed tips, in lamports. */
export interface TipFloor {
  readonly percentiles: Readonly<Record<TipPercentile, bigint>>;
  readonly emaP50: bigint;
  readonly time: string;
}

const sol = z.number().finite().nonnegative();
// GET …/api/v1/bundles/tip_floor answers an array of one sample, tips in SOL as floats.
const tipFloorSchema = z
  .array(
    z.object({
      time: z.string(),
      landed_tips_25th_percentile: sol,
      landed_tips_50th_percentile: sol,
      landed_tips_75th_percentile: sol,
      landed_tips_95th_percentile: sol,
      landed_tips_99th_percentile: sol,
      ema_landed_tips_50th_percentile: sol,
    }),
  )
  .min(1);

/** SOL as a float to lamports, to the nearest lamport. */
export const solToLamports = (value: number): bigint => BigInt(Math.round(value * 1e9));

export interface FetchTipFloorOptions {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Reads the tip floor; TIP_UNAVAILABLE when unreachable, not 2xx or not the expected shape. */
export async function fetchTipFloor(
  url: string,
  options: FetchTipFloorOptions = {},
): Promise<TipFloor> {
  const doFetch = options.fetch ?? fetch;
  const where = redactUrl(url);
  let body: unknown;
  try {
    const response = await doFetch(url, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new OspreyError("TIP_UNAVAILABLE", `Tip floor ${where} answered ${response.status}`, {
        url: where,
        status: response.status,
      });
    }
    body = await response.json();
  } catch (error) {
    if (error instanceof OspreyError) throw error;
    throw new OspreyError(
      "TIP_UNAVAILABLE",
      `Tip floor ${where} is unreachable`,
      { url: where },
      {
        cause: error,
      },
    );
  }
  const parsed = tipFloorSchema.safeParse(body);
  if (!parsed.success) {
    throw new OspreyError("TIP_UNAVAILABLE", `Tip floor ${where} answered an unexpected shape`, {
      url: where,
    });
  }
  const [sample] = parsed.data as [z.infer<typeof tipFloorSchema>[number]];
  return {
    percentiles: {
      25: solToLamports(sample.landed_tips_25th_percentile),
      50: solToLamports(sample.landed_tips_50th_percentile),
      75: solToLamports(sample.landed_tips_75th_percentile),
      95: solToLamports(sample.landed_tips_95th_percentile),
      99: solToLamports(sample.landed_tips_99th_percentile),
    },
    emaP50: solToLamports(sample.ema_landed_tips_50th_percentile),
    time: sample.time,
  };
}
