export type Json = Record<string, unknown> & {
  error?: { code: string; message: string; details?: unknown };
};

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Json;
  readonly text: string;
}

/** A small JSON client for tests that talk to a listening server. */
export function createHttpClient(baseUrl: string) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
    return {
      status: response.status,
      headers: response.headers,
      body: (isJson && text ? JSON.parse(text) : {}) as Json,
      text,
    };
  };

  /** Registers and logs in; returns the bearer header. */
  const signUp = async (username: string, password = `${username} password`) => {
    await call("POST", "/v1/auth/register", { username, password });
    const login = await call("POST", "/v1/auth/login", { username, password });
    if (login.status !== 200) throw new Error(`login failed: ${login.text}`);
    return { authorization: `Bearer ${String(login.body.token)}` };
  };

  return { call, signUp };
}
