import { type Address, address } from "@solana/kit";

/**
 * Jito's guard account: a transaction that lists an account whose address starts with
 * `jitodontfront` (read-only, not a signer) is only landed by the block engine as the first
 * transaction of any bundle, so nothing can be placed before it (no front-running sandwich).
 */
export const JITO_DONT_FRONT: Address = address("jitodontfront111111111111111111111111111111");
