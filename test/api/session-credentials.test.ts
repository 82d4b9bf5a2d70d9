import { describe, expect, it } from "vitest";
import { useTestApp } from "../support/use-test-app.js";

const WALLET_PASSWORD = "a long wallet passphrase 7";

describe("trading sessions end with the credential that opened them", () => {
  const env = useTestApp();

  const logIn = async (username: string) => {
    const login = await env.http.call("POST", "/v1/auth/login", {
      username,
      password: `${username} password`,
    });
    expect(login.status).toBe(200);
    return { authorization: `Bearer ${String(login.body.token)}` };
  };
  const unlock = async (walletId: string, auth: Record<string, string>) => {
    const unlocked = await env.http.call(
      "POST",
      `/v1/wallets/${walletId}/unlock`,
      { password: WALLET_PASSWORD },
      auth,
    );
    expect(unlocked.status).toBe(200);
    return String(unlocked.body.sessionToken);
  };
  const sessionStatus = async (auth: Record<string, string>, session: string) => {
    const answer = await env.http.call("GET", "/v1/sessions/current", undefined, {
      ...auth,
      "x-trading-session": session,
    });
    return `${answer.status} ${answer.body.error?.code ?? ""}`.trim();
  };

  it("logout ends the sessions unlocked with that login token, and only those", async () => {
    const first = await env.http.signUp("trader");
    const second = await logIn("trader");
    const wallet = await env.http.call("POST", "/v1/wallets", { password: WALLET_PASSWORD }, first);
    expect(wallet.status).toBe(201);
    const walletId = String(wallet.body.id);
    const openedByFirst = await unlock(walletId, first);
    const openedBySecond = await unlock(walletId, second);
    expect(await sessionStatus(first, openedByFirst)).toBe("200");

    expect((await env.http.call("POST", "/v1/auth/logout", undefined, first)).status).toBe(204);
    expect(await sessionStatus(second, openedByFirst)).toBe("401 SESSION_NOT_FOUND");
    expect(await sessionStatus(second, openedBySecond)).toBe("200");
  });

  it("revoking an API key ends the sessions it opened", async () => {
    const login = await env.http.signUp("scripter");
    const wallet = await env.http.call("POST", "/v1/wallets", { password: WALLET_PASSWORD }, login);
    const walletId = String(wallet.body.id);
    const created = await env.http.call(
      "POST",
      "/v1/api-keys",
      { name: "bot", scope: "trade" },
      login,
    );
    expect(created.status).toBe(201);
    const key = { "x-api-key": String(created.body.key) };
    const openedByKey = await unlock(walletId, key);
    const openedByLogin = await unlock(walletId, login);
    expect(await sessionStatus(key, openedByKey)).toBe("200");

    const revoked = await env.http.call(
      "DELETE",
      `/v1/api-keys/${created.body.id}`,
      undefined,
      login,
    );
    expect(revoked.status).toBe(204);
    expect(await sessionStatus(login, openedByKey)).toBe("401 SESSION_NOT_FOUND");
    expect(await sessionStatus(login, openedByLogin)).toBe("200");
  });

  it("says so in the API documentation", async () => {
    const spec = (await (await fetch(`${env.server.url}/docs/json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string; description?: string }>>;
    };
    const text = (path: string, method: string) => {
      const operation = spec.paths[path]?.[method];
      return `${operation?.summary ?? ""} ${operation?.description ?? ""}`;
    };
    expect(text("/v1/auth/logout", "post")).toMatch(/trading sessions/);
    expect(text("/v1/api-keys/{id}", "delete")).toMatch(/trading sessions/);
    expect(text("/v1/wallets/{id}/unlock", "post")).toMatch(/logging out|revoking the API key/);
  });
});
