import { u64Schema } from "../params.js";

/**
 * A u64 a client may send near u64::MAX (a slot or epoch "surely too high"): it must be accepted
 * and answered as too high, with the number sent (parseJsonBody keeps it exact), not refused.
 */
export const largeU64Schema = u64Schema;
