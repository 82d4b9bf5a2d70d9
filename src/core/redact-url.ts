/**
 * The endpoint URL safe to print and to use as a metric label: no user, password, query or
 * fragment, since providers put API keys there. A key in the path is masked to its first 4 chars.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "<invalid url>";
  }
  const path = parsed.pathname
    .split("/")
    .map((segment) => (looksLikeSecret(segment) ? `${segment.slice(0, 4)}…` : segment))
    .join("/");
  return `${parsed.protocol}//${parsed.host}${path === "/" ? "" : path}`;
}

// Long random-looking path segments are how several providers embed API keys (e.g. /v2/<key>).
function looksLikeSecret(segment: string): boolean {
  return segment.length >= 20 && /[0-9]/.test(segment) && /[a-zA-Z]/.test(segment);
}
