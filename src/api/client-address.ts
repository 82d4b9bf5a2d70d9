import { isIPv6 } from "node:net";

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail reads as zeros). */
function getIpv6Groups(address: string): string[] {
  const groups = (part: string | undefined) =>
    !part ? [] : part.split(":").flatMap((group) => (group.includes(".") ? ["0", "0"] : [group]));
  const [left, right] = address.split("::");
  if (right === undefined) return groups(left);
  const head = groups(left);
  const tail = groups(right);
  return [...head, ...Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
}

/**
 * The address a client is counted by in rate limits and login throttling: an IPv4 address as it
 * is, an IPv6 client by its /64, since one host usually holds a whole /64 and could otherwise
 * take a fresh address for every request.
 */
export function getAddressKey(ip: string): string {
  const mapped = IPV4_MAPPED.exec(ip);
  if (mapped?.[1]) return mapped[1];
  const address = ip.split("%")[0] ?? ip;
  if (!isIPv6(address)) return ip;
  const prefix = getIpv6Groups(address)
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(":")}::/64`;
}
