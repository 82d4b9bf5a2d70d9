import { OspreyError } from "../core/osprey-error.js";

/** Argon2id cost parameters; memory in KiB as argon2 itself counts it. */
export interface KdfParams {
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
}

/** The spec's parameters: 64 MiB, 3 passes, 4 lanes. */
export const DEFAULT_KDF_PARAMS: KdfParams = { memoryKiB: 65_536, passes: 3, parallelism: 4 };

/** OWASP Password Storage Cheat Sheet floor for argon2id: m=19 MiB, t=2, p=1. */
export const OWASP_MIN_KDF_PARAMS: KdfParams = { memoryKiB: 19_456, passes: 2, parallelism: 1 };

// A ceiling stops a tampered envelope (or a typo) from making one unlock eat the machine.
export const MAX_KDF_PARAMS: KdfParams = { memoryKiB: 1_048_576, passes: 16, parallelism: 16 };

const NAMES: Record<keyof KdfParams, string> = {
  memoryKiB: "memory (KiB)",
  passes: "passes",
  parallelism: "parallelism",
};

/** Why the parameters are not acceptable, or null when they are within floor and ceiling. */
export function getKdfParamsProblem(params: KdfParams): string | null {
  for (const field of Object.keys(NAMES) as (keyof KdfParams)[]) {
    const value = params[field];
    const min = OWASP_MIN_KDF_PARAMS[field];
    const max = MAX_KDF_PARAMS[field];
    if (!Number.isSafeInteger(value)) return `argon2id ${NAMES[field]} must be an integer`;
    if (value < min) return `argon2id ${NAMES[field]} ${value} is below the OWASP minimum ${min}`;
    if (value > max) return `argon2id ${NAMES[field]} ${value} is above the ceiling ${max}`;
  }
  return null;
}

export function isKdfParams(params: KdfParams): boolean {
  return getKdfParamsProblem(params) === null;
}

/** Refuses configured parameters weaker than OWASP's argon2id minimum (each of m, t, p). */
export function assertIsKdfParams(params: KdfParams): void {
  const problem = getKdfParamsProblem(params);
  if (problem !== null) {
    throw new OspreyError("CONFIG_INVALID", `Key-encryption parameters refused: ${problem}.`, {
      memoryKiB: params.memoryKiB,
      passes: params.passes,
      parallelism: params.parallelism,
    });
  }
}

/** True when `stored` is weaker than `wanted` in any dimension: the envelope should be re-encrypted. */
export function isWeakerKdf(stored: KdfParams, wanted: KdfParams): boolean {
  return (
    stored.memoryKiB < wanted.memoryKiB ||
    stored.passes < wanted.passes ||
    stored.parallelism < wanted.parallelism
  );
}
