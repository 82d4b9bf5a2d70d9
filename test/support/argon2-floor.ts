/**
 * OWASP's minimum argon2id parameters, for tests and benches that unlock wallets only on the way
 * to what they measure: the defaults (64 MiB, 3 passes) are measured by bench/unlock.
 */
export const ARGON2_FLOOR_ENV = {
  ARGON2_MEMORY_KIB: "19456",
  ARGON2_PASSES: "2",
  ARGON2_PARALLELISM: "1",
} as const;
