import argon2, { type HashOptions } from "argon2";
import type { KdfLimiter } from "../wallet/kdf-limiter.js";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends a verify's time on a fixed hash, so "no such user" answers as slowly as a wrong password. */
  burn(password: string): Promise<void>;
}

export interface PasswordHasherOptions {
  readonly limiter: KdfLimiter;
  /** argon2id cost; OWASP's floor (19 MiB, 2 passes) by default, which login latency can afford. */
  readonly memoryKiB?: number;
  readonly passes?: number;
}

/** argon2id login-password hashing, sharing the wallet KDF's concurrency cap so memory stays bounded. */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const params: HashOptions = {
    type: argon2.argon2id,
    memoryCost: options.memoryKiB ?? 19 * 1024,
    timeCost: options.passes ?? 2,
    parallelism: 1,
  };
  let dummy: Promise<string> | undefined;
  const verify = (hash: string, password: string) =>
    options.limiter.run(() => argon2.verify(hash, password).catch(() => false));
  return {
    hash: (password) => options.limiter.run(() => argon2.hash(password, params)),
    verify,
    async burn(password) {
      dummy ??= options.limiter.run(() => argon2.hash("osprey-timing-equaliser", params));
      await verify(await dummy, password);
    },
  };
}
