/**
 * JSON.parse for request bodies, keeping integers past 2^53 exact: a client's u64 (a slot such
 * as 2^63 − 1, u64::MAX) arrives as a bigint rather than a rounded float, so range checks and
 * error messages see the number sent, as serde does.
 */
export function parseJsonBody(body: string): unknown {
  // Every integer past Number.MAX_SAFE_INTEGER has 16+ digits: other bodies take JSON.parse alone.
  if (!LONG_DIGIT_RUN.test(body)) return JSON.parse(body);
  const marked = markUnsafeIntegers(body);
  if (marked === body) return JSON.parse(body);
  return JSON.parse(marked, (_key, value: unknown) =>
    typeof value === "string" && value.startsWith(MARK) ? BigInt(value.slice(MARK.length)) : value,
  );
}

const LONG_DIGIT_RUN = /\d{16}/;
/** Prefix of a string standing for a big integer; a NUL can only reach a parsed string escaped. */
const MARK = "\u0000u64:";
const MARK_JSON = "\\u0000u64:";

/** Wraps integer literals (outside strings) that a double cannot hold into marked strings. */
function markUnsafeIntegers(body: string): string {
  let out = "";
  let copied = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    const isMinus = c === 0x2d;
    if (!isMinus && (c < 0x30 || c > 0x39)) continue;
    let end = i + (isMinus ? 1 : 0);
    while (end < body.length && isDigit(body.charCodeAt(end))) end++;
    const next = body.charCodeAt(end);
    // A fraction or exponent makes it a float: serde reads those as f64 too.
    const isInteger = next !== 0x2e && next !== 0x65 && next !== 0x45;
    const literal = body.slice(i, end);
    if (isInteger && /^-?(0|[1-9]\d*)$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
      out += `${body.slice(copied, i)}"${MARK_JSON}${literal}"`;
      copied = end;
    }
    i = end - 1;
  }
  return copied === 0 ? body : out + body.slice(copied);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
