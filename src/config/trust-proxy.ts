import { isIP } from "node:net";
import { z } from "zod";

/** Whom to believe about a client's address: the nearest N hops, or these proxies (unset: nobody). */
export type TrustProxy = number | readonly string[];

const MAX_HOPS = 10;
// proxy-addr's (and so Fastify's) names for the usual private ranges.
const RANGE_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);
const EXPECTED = `expected a hop count (1 to ${MAX_HOPS}) or the reverse proxy's addresses or CIDR ranges, comma-separated (e.g. 10.0.0.5,10.1.0.0/16)`;

function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = "", prefix, extra] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: which `X-Forwarded-For` hops to believe, so per-IP limits see the client behind a
 * reverse proxy. Trusting everyone would let any client pick its own address, so it is refused.
 */
export const trustProxySchema = z
  .string()
  .trim()
  .transform((value, context): TrustProxy => {
    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops >= 1 && hops <= MAX_HOPS) return hops;
      context.addIssue({ code: "custom", message: `${EXPECTED}; ${value} hops is out of range` });
      return z.NEVER;
    }
    if (/^(true|\*|all)$/i.test(value)) {
      context.addIssue({
        code: "custom",
        message: `${EXPECTED}; trusting every proxy would let any client choose its own address`,
      });
      return z.NEVER;
    }
    const entries = value.split(",").map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isProxyAddress(entry));
    if (bad.length > 0) {
      const shown = bad.map((entry) => JSON.stringify(entry.slice(0, 64))).join(", ");
      context.addIssue({ code: "custom", message: `${EXPECTED}; not an address: ${shown}` });
      return z.NEVER;
    }
    return entries;
  });
