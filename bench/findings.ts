/**
 * The other findings of issue 16 (3–8), before and after: what a client gets from a real server
 * of each checkout. `osprey serve` runs as a child process from the checkout under test
 * (bench/support/spawn-serve.ts), with its default settings but for the ones named below.
 *
 *  3. Owner lockout: wrong passwords for one username, in turn from 20 client addresses
 *     (127.0.0.N), until one is refused; then the owner's right password from a clean address.
 *     And an address that reached the per-address request limit logs out: is it refused, does
 *     its token still work (asked from another address)?
 *  4. Weak wallet passwords: create with " ", import with "x".
 *  5. API keys: one created without a scope, one asking for `full` (the old code ignores the
 *     field), each exporting a wallet's key with the right password and unlocking it. Then a
 *     login that unlocked a wallet logs out: is that trading session still usable?
 *  6. Error shapes: a malformed percent-encoding in the path, a 10,000-character id, an anonymous
 *     malformed JSON body, non-decimal `slippageBps`, an import with the key as a JSON array.
 *  7. A slow client (a raw socket that sends half a request line, then nothing): when does the
 *     server answer or close, and what does it send? Given up after 120 s. It runs on a server
 *     of its own while 3–6 run, since it mostly waits.
 *  8. TRUST_PROXY=127.0.0.1 (for both; the old code has no such setting): 31 registrations from
 *     127.0.0.1, each with its own X-Forwarded-For. How many are refused by the per-address limit?
 *
 * Passwords that are not what a row is about are ones both checkouts accept.
 * Run: npx tsx bench/findings.ts [--root DIR] [--before DIR]
 *   --root: the checkout whose server is measured (default: this one).
 *   --before: also measure that checkout first, and print both side by side.
 */
import { generateKeyPairSync } from "node:crypto";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { compareCheckouts, type Row } from "./support/compare-checkouts.js";
import { type Sandbox, sleep, withServer } from "./support/spawn-serve.js";
import {
  type Answer,
  describeAnswer,
  formatMs,
  type Json,
  signUp,
  timed,
} from "./support/timed-request.js";

const HERE = fileURLToPath(new URL("..", import.meta.url));
const { values: args } = parseArgs({
  options: {
    root: { type: "string", default: HERE },
    before: { type: "string" },
  },
});

type Env = Record<string, string>;
/** A wallet password both checkouts accept. */
const WALLET_PASSWORD = "a long wallet password 42";
const SLOW_CLIENT_CAP_MS = 120_000;

/** A fresh keypair as solana-keygen writes it: the 64 bytes (seed, then public key). */
function newSecretKeyBytes(): number[] {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = Buffer.from(String(privateKey.export({ format: "jwk" }).d), "base64url");
  const pub = Buffer.from(String(publicKey.export({ format: "jwk" }).x), "base64url");
  return [...seed, ...pub];
}

const describeKind = (answer: Answer) => `${answer.status}${answer.code ? ` ${answer.code}` : ""}`;

/** How many answers of each kind, in the order they first came. */
function tally(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers)
    counts.set(describeKind(answer), (counts.get(describeKind(answer)) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ×${count}`).join(", ");
}

/** A status and our error code, or what the body is when it is not `{"error":{code,message}}`. */
function describeShape(answer: Answer): string {
  if (answer.status === 0) return `no answer (${answer.code})`;
  if (answer.status < 400) return String(answer.status);
  const error = answer.body.error as Json | undefined;
  if (typeof error?.code === "string" && typeof error.message === "string")
    return `${answer.status} ${error.code}`;
  const theirs = answer.body.code ?? JSON.stringify(answer.body).slice(0, 60);
  return `${answer.status}, not our shape (${String(theirs)})`;
}

// ---------- 3. owner lockout ----------

async function ownerLockout(root: string, chainEnv: Env): Promise<Row[]> {
  const subject = "3. Owner lockout";
  return withServer(root, chainEnv, async (api) => {
    const login = (password: string, localAddress: string) =>
      timed(api, "POST", "/v1/auth/login", {
        body: { username: "owner", password },
        localAddress,
      });
    // Registered only: a login of the owner's own would count among the old code's 30.
    await timed(api, "POST", "/v1/auth/register", {
      body: { username: "owner", password: "owner password" },
      localAddress: "127.0.0.2",
    });
    const attack: Answer[] = [];
    let refusal: Answer | undefined;
    while (attack.length < 200 && !refusal) {
      const answer = await login("not the password", `127.0.0.${10 + (attack.length % 20)}`);
      attack.push(answer);
      if (answer.status === 429) refusal = answer;
    }
    const owner = await login("owner password", "127.0.0.200");

    // One address spends its request limit, then logs out.
    const keeper = await signUp(api, "keeper", "127.0.0.100");
    const spent: Answer[] = [];
    while (spent.length < 100 && spent.at(-1)?.status !== 429)
      spent.push(
        await timed(api, "GET", "/v1/api-keys", { headers: keeper, localAddress: "127.0.0.100" }),
      );
    const logout = await timed(api, "POST", "/v1/auth/logout", {
      headers: keeper,
      localAddress: "127.0.0.100",
    });
    const reuse = await timed(api, "GET", "/v1/wallets", {
      headers: keeper,
      localAddress: "127.0.0.101",
    });

    return [
      {
        subject,
        request: "wrong password for one username, in turn from 20 addresses, until refused",
        result: refusal
          ? `${tally(attack.slice(0, -1))}, then at request ${attack.length}: ${describeAnswer(refusal)}`
          : `${tally(attack)}, never refused`,
      },
      {
        subject,
        request: "then the owner's right password from a clean address",
        result: describeAnswer(owner),
      },
      {
        subject,
        request: "GET /v1/api-keys from one address until refused",
        result: `${tally(spent)} (${spent.length} requests, after a register and a login)`,
      },
      {
        subject,
        request: "then POST /v1/auth/logout from that address",
        result: describeAnswer(logout),
      },
      {
        subject,
        request: "then GET /v1/wallets with that token, from another address",
        result: `${describeKind(reuse)}: ${reuse.status === 200 ? "the token still works" : "the token no longer works"}`,
      },
    ];
  });
}

// ---------- 4. weak wallet passwords ----------

async function weakWalletPassword(root: string, chainEnv: Env): Promise<Row[]> {
  const subject = "4. Weak wallet password";
  return withServer(root, chainEnv, async (api) => {
    const auth = await signUp(api, "walletowner");
    const created = await timed(api, "POST", "/v1/wallets", {
      body: { password: " " },
      headers: auth,
    });
    const imported = await timed(api, "POST", "/v1/wallets/import", {
      body: { password: "x", secretKey: JSON.stringify(newSecretKeyBytes()) },
      headers: auth,
    });
    return [
      { subject, request: 'POST /v1/wallets, password " "', result: describeShape(created) },
      {
        subject,
        request: 'POST /v1/wallets/import, password "x"',
        result: describeShape(imported),
      },
    ];
  });
}

// ---------- 5. API keys, and logout ----------

async function apiKeysAndLogout(root: string, chainEnv: Env): Promise<Row[]> {
  const subject = "5. API keys and logout";
  return withServer(root, chainEnv, async (api) => {
    const login = await signUp(api, "keyowner");
    const wallet = await timed(api, "POST", "/v1/wallets", {
      body: { password: WALLET_PASSWORD },
      headers: login,
    });
    if (wallet.status !== 201) throw new Error(`wallet: ${describeAnswer(wallet)}`);
    const walletPath = `/v1/wallets/${String(wallet.body.id)}`;
    const rows: Row[] = [];

    for (const [kind, body] of [
      ["no scope", { name: "bench" }],
      ["scope full", { name: "bench", scope: "full" }],
    ] as const) {
      const created = await timed(api, "POST", "/v1/api-keys", { body, headers: login });
      const key = { authorization: `Bearer ${String(created.body.key)}` };
      const withPassword = { body: { password: WALLET_PASSWORD }, headers: key };
      const exported = await timed(api, "POST", `${walletPath}/export`, withPassword);
      const unlocked = await timed(api, "POST", `${walletPath}/unlock`, withPassword);
      const scope = created.body.scope;
      rows.push(
        {
          subject,
          request: `POST /v1/api-keys, ${kind}`,
          result: `${created.status}, ${typeof scope === "string" ? `scope ${scope}` : "no scope in the answer"}`,
        },
        {
          subject,
          request: `that key (${kind}): POST /v1/wallets/:id/export, right password`,
          result: describeShape(exported),
        },
        {
          subject,
          request: `that key (${kind}): POST /v1/wallets/:id/unlock`,
          result: describeShape(unlocked),
        },
      );
    }

    // A login unlocks the wallet, then logs out; another login of the same user asks for it.
    const unlocked = await timed(api, "POST", `${walletPath}/unlock`, {
      body: { password: WALLET_PASSWORD },
      headers: login,
    });
    const other = await timed(api, "POST", "/v1/auth/login", {
      body: { username: "keyowner", password: "keyowner password" },
    });
    const logout = await timed(api, "POST", "/v1/auth/logout", { headers: login });
    const session = await timed(api, "GET", "/v1/sessions/current", {
      headers: {
        authorization: `Bearer ${String(other.body.token)}`,
        "x-trading-session": String(unlocked.body.sessionToken),
      },
    });
    rows.push(
      {
        subject,
        request: "POST /v1/auth/logout, by a login that unlocked a wallet",
        result: describeShape(logout),
      },
      {
        subject,
        request: "then GET /v1/sessions/current with that session (another login)",
        result: `${describeShape(session)}: ${session.status === 200 ? "still usable" : "ended"}`,
      },
    );
    return rows;
  });
}

// ---------- 6. error shapes ----------

async function errorShapes(root: string, chainEnv: Env, sandbox: Sandbox): Promise<Row[]> {
  const subject = "6. Error shapes";
  return withServer(root, chainEnv, async (api) => {
    const auth = await signUp(api, "shapes");
    const quote = `/v1/quote?side=buy&mint=${String(sandbox.mints.BONKY)}&amount=10000000`;
    const requests: [string, () => Promise<Answer>][] = [
      [
        "GET /v1/wallets/%E0%A4%A",
        () => timed(api, "GET", "/v1/wallets/%E0%A4%A", { headers: auth }),
      ],
      [
        "GET /v1/wallets/<10,000 characters>",
        () => timed(api, "GET", `/v1/wallets/${"a".repeat(10_000)}`, { headers: auth }),
      ],
      [
        "POST /v1/wallets, anonymous, malformed JSON",
        () => timed(api, "POST", "/v1/wallets", { rawBody: '{"password":' }),
      ],
      [
        "GET /v1/quote?…&slippageBps=0x10",
        () => timed(api, "GET", `${quote}&slippageBps=0x10`, { headers: auth }),
      ],
      [
        'GET /v1/quote?…&slippageBps=" 1 "',
        () => timed(api, "GET", `${quote}&slippageBps=%201%20`, { headers: auth }),
      ],
      [
        "GET /v1/quote?…&slippageBps=+1",
        () => timed(api, "GET", `${quote}&slippageBps=%2B1`, { headers: auth }),
      ],
      [
        "POST /v1/wallets/import, secretKey a JSON array",
        () =>
          timed(api, "POST", "/v1/wallets/import", {
            body: { password: WALLET_PASSWORD, secretKey: newSecretKeyBytes() },
            headers: auth,
          }),
      ],
    ];
    const rows: Row[] = [];
    for (const [request, send] of requests)
      rows.push({ subject, request, result: describeShape(await send()) });
    return rows;
  });
}

// ---------- 7. a slow client ----------

async function slowClient(root: string, chainEnv: Env): Promise<Row[]> {
  const subject = "7. Slow client (default settings)";
  return withServer(root, chainEnv, async (api) => {
    const { hostname, port } = new URL(api);
    const socket = connect({ host: hostname, port: Number(port) });
    socket.on("error", () => {});
    await new Promise((done) => socket.once("connect", done));
    const started = performance.now();
    let received = "";
    let firstByteMs: number | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      firstByteMs ??= performance.now() - started;
      received += chunk;
    });
    const closed = new Promise<number>((done) =>
      socket.once("close", () => done(performance.now() - started)),
    );
    socket.write("GET /healthz HT");
    const closedMs = await Promise.race([closed, sleep(SLOW_CLIENT_CAP_MS).then(() => undefined)]);
    socket.destroy();

    const request = 'half a request line ("GET /healthz HT"), then nothing';
    if (closedMs === undefined && firstByteMs === undefined)
      return [{ subject, request, result: `still open after ${formatMs(SLOW_CLIENT_CAP_MS)}` }];
    const [head = "", body = ""] = received.split("\r\n\r\n");
    let code: unknown;
    try {
      code = ((JSON.parse(body) as Json).error as Json | undefined)?.code;
    } catch {}
    const answer =
      firstByteMs === undefined
        ? "nothing sent"
        : `"${head.split("\r\n")[0]}"${typeof code === "string" ? ` ${code}` : ""} after ${formatMs(firstByteMs)}`;
    const end =
      closedMs === undefined
        ? `still open after ${formatMs(SLOW_CLIENT_CAP_MS)}`
        : `closed after ${formatMs(closedMs)}`;
    return [{ subject, request, result: `${answer}; ${end}` }];
  });
}

// ---------- 8. behind a reverse proxy ----------

async function behindProxy(root: string, chainEnv: Env): Promise<Row[]> {
  const subject = "8. TRUST_PROXY=127.0.0.1";
  return withServer(root, { ...chainEnv, TRUST_PROXY: "127.0.0.1" }, async (api) => {
    const answers: Answer[] = [];
    for (let n = 1; n <= 31; n += 1)
      answers.push(
        await timed(api, "POST", "/v1/auth/register", {
          body: { username: `proxied${n}`, password: `proxied${n} password` },
          headers: { "x-forwarded-for": `203.0.113.${n}` },
        }),
      );
    const refused = answers.filter((answer) => answer.status === 429).length;
    return [
      {
        subject,
        request: "31 registrations from 127.0.0.1, each with its own X-Forwarded-For",
        result: `${refused} of 31 refused (${tally(answers)})`,
      },
    ];
  });
}

// ---------- run ----------

async function measure(root: string, sandbox: Sandbox): Promise<Row[]> {
  const chainEnv = {
    SOLANA_RPC_URLS: sandbox.rpc.join(","),
    JUPITER_API_URL: sandbox.swapApi,
    JUPITER_PRICE_URL: sandbox.priceApi,
  };
  // The slow client mostly waits: it runs on its own server meanwhile.
  const slow = slowClient(root, chainEnv);
  slow.catch(() => {});
  const rows = [
    ...(await ownerLockout(root, chainEnv)),
    ...(await weakWalletPassword(root, chainEnv)),
    ...(await apiKeysAndLogout(root, chainEnv)),
    ...(await errorShapes(root, chainEnv, sandbox)),
  ];
  const proxy = await behindProxy(root, chainEnv);
  return [...rows, ...(await slow), ...proxy];
}

await compareCheckouts({
  name: "findings",
  subject: "finding",
  root: args.root,
  before: args.before,
  measure,
});
