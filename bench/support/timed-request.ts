import { request as httpRequest } from "node:http";

export type Json = Record<string, unknown>;

/** One answer as a client saw it; status 0 when no answer came (code then says why). */
export interface Answer {
  readonly status: number;
  readonly code?: string;
  readonly retryAfter: string | null;
  readonly ms: number;
  readonly body: Json;
}

export interface RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is, labelled JSON: for bodies that are not. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  /** The client's address (any 127.0.0.N): how benches play many clients from one machine. */
  readonly localAddress?: string;
}

export const formatMs = (ms: number) =>
  ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;

/**
 * One request on a fresh connection, and how long the whole answer took. The path goes out as it
 * is written (a malformed percent-encoding included), which `fetch` would not promise.
 */
export function timed(
  api: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Answer> {
  const { hostname, port } = new URL(api);
  const payload =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const started = performance.now();
  return new Promise((resolveAnswer) => {
    const request = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        agent: false,
        signal: AbortSignal.timeout(60_000),
        headers: {
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers,
        },
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () => {
          let body: Json = {};
          try {
            body = JSON.parse(text) as Json;
          } catch {}
          const code = (body.error as { code?: unknown } | undefined)?.code;
          const retryAfter = response.headers["retry-after"];
          resolveAnswer({
            status: response.statusCode ?? 0,
            ...(typeof code === "string" ? { code } : {}),
            retryAfter: typeof retryAfter === "string" ? retryAfter : null,
            ms: performance.now() - started,
            body,
          });
        });
      },
    );
    request.on("error", (error) =>
      resolveAnswer({
        status: 0,
        code: String(error),
        retryAfter: null,
        ms: performance.now() - started,
        body: {},
      }),
    );
    request.end(payload);
  });
}

const describeKind = (answer: Answer) =>
  `${answer.status}${answer.code ? ` ${answer.code}` : ""}${answer.retryAfter ? ` (Retry-After ${answer.retryAfter})` : ""}`;

export const describeAnswer = (answer: Answer) =>
  `${describeKind(answer)} in ${formatMs(answer.ms)}`;

/** Several answers of one kind: the statuses once if they agree, and every time. */
export function describeAnswers(answers: readonly Answer[]): string {
  const kinds = new Set(answers.map(describeKind));
  const head = kinds.size === 1 ? `${[...kinds][0]} ×${answers.length}` : [...kinds].join(" / ");
  return `${head} in ${answers.map((a) => formatMs(a.ms)).join(", ")}`;
}

/** Registers `username` (password: `<username> password`) and logs in: the Authorization header. */
export async function signUp(
  api: string,
  username: string,
  localAddress?: string,
): Promise<Record<string, string>> {
  const via = localAddress ? { localAddress } : {};
  const body = { username, password: `${username} password` };
  await timed(api, "POST", "/v1/auth/register", { body, ...via });
  const login = await timed(api, "POST", "/v1/auth/login", { body, ...via });
  if (login.status !== 200) throw new Error(`login failed: ${describeAnswer(login)}`);
  return { authorization: `Bearer ${String(login.body.token)}` };
}
