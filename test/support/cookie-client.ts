import { createHttpClient, type HttpResult } from "./http-client.js";

/**
 * A JSON client that keeps cookies as a browser would for one origin (name → value, deleted by
 * Max-Age=0), and sends the CSRF header the page would send. Attributes are not enforced here:
 * tests read them from `lastSetCookies`.
 */
export function createCookieClient(baseUrl: string) {
  const http = createHttpClient(baseUrl);
  const jar = new Map<string, string>();
  let lastSetCookies: string[] = [];

  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
    options: { csrf?: boolean } = {},
  ): Promise<HttpResult> => {
    const csrf = jar.get("osprey_csrf");
    const result = await http.call(method, path, body, {
      ...(jar.size > 0 ? { cookie: cookieHeader() } : {}),
      ...(options.csrf !== false && csrf ? { "x-csrf-token": csrf } : {}),
      ...headers,
    });
    lastSetCookies = result.headers.getSetCookie();
    for (const line of lastSetCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      if (attributes.some((attribute) => /^max-age=0$/i.test(attribute))) jar.delete(name);
      else jar.set(name, pair.slice(at + 1));
    }
    return result;
  };

  /** Registers (if new) and logs in with the web session. */
  const logIn = async (username: string, password = `${username} password`) => {
    await call("POST", "/v1/auth/register", { username, password });
    const login = await call("POST", "/v1/auth/login", { username, password, session: "cookie" });
    if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
    return login;
  };

  return {
    call,
    logIn,
    jar,
    cookieHeader,
    /** The Set-Cookie lines of the last answer. */
    lastSetCookies: () => lastSetCookies,
  };
}
