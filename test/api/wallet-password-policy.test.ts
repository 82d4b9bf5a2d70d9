import { getBase58Decoder } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { createUuidV7, type UserId, type WalletId } from "../../src/core/ids.js";
import {
  createKdfLimiter,
  createWalletCipher,
  createWalletKeypair,
  OWASP_MIN_KDF_PARAMS,
} from "../../src/wallet/index.js";
import type { Json } from "../support/http-client.js";
import { useTestApp } from "../support/use-test-app.js";

const WEAK = [" ", "x", "password1234", "PassWord1234", "  qwertyuiop  ", "abababababab"];

describe("wallet password policy over HTTP", () => {
  const env = useTestApp();

  const auditOf = async (auth: Record<string, string>) =>
    (await env.http.call("GET", "/v1/audit", undefined, auth)).body as unknown as {
      action: string;
      detail: Record<string, unknown>;
    }[];

  function expectWeak(body: Json, reason: string) {
    expect(body.error?.code).toBe("WEAK_PASSWORD");
    expect(body.error?.details).toMatchObject({ reason, minLength: 10 });
    expect(body.error?.message).toMatch(/wallet password/);
  }

  it("refuses a short, repetitive or common password on create and import, storing nothing", async () => {
    const auth = await env.http.signUp("weak-creator");
    const key = getBase58Decoder().decode(createWalletKeypair().secretKey);
    const reasons: Record<string, string> = {
      " ": "too_short",
      x: "too_short",
      password1234: "common",
      PassWord1234: "common",
      "  qwertyuiop  ": "common",
      abababababab: "repetitive",
    };
    for (const password of WEAK) {
      const created = await env.http.call("POST", "/v1/wallets", { password }, auth);
      expect(created.status, password).toBe(400);
      expectWeak(created.body, reasons[password] ?? "");
      const imported = await env.http.call(
        "POST",
        "/v1/wallets/import",
        { password, secretKey: key },
        auth,
      );
      expect(imported.status, password).toBe(400);
      expectWeak(imported.body, reasons[password] ?? "");
      expect(imported.text).not.toContain(key.slice(0, 12));
    }
    expect((await env.http.call("GET", "/v1/wallets", undefined, auth)).body).toEqual([]);
    const actions = (await auditOf(auth)).map((entry) => entry.action);
    expect(actions).not.toContain("wallet.create");
    expect(actions).not.toContain("wallet.import");

    const fine = await env.http.call("POST", "/v1/wallets", { password: "ten chars!" }, auth);
    expect(fine.status).toBe(201);
  });

  it("refuses a weak new password and keeps the old one", async () => {
    const auth = await env.http.signUp("weak-changer");
    const { body } = await env.http.call(
      "POST",
      "/v1/wallets",
      { password: "first password" },
      auth,
    );
    const path = `/v1/wallets/${String(body.id)}`;
    for (const newPassword of WEAK) {
      const changed = await env.http.call(
        "POST",
        `${path}/password`,
        { password: "first password", newPassword },
        auth,
      );
      expect(changed.status, newPassword).toBe(400);
      expect(changed.body.error?.code).toBe("WEAK_PASSWORD");
    }
    const unlocked = await env.http.call(
      "POST",
      `${path}/unlock`,
      { password: "first password" },
      auth,
    );
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.passwordChangeRequired).toBe(false);
    expect((await auditOf(auth)).map((entry) => entry.action)).not.toContain(
      "wallet.password_change",
    );
  });

  it("still opens a wallet made under a weak password before, and asks for a change", async () => {
    const registered = await env.http.call("POST", "/v1/auth/register", {
      username: "legacy-owner",
      password: "legacy-owner password",
    });
    const auth = await env.http.signUp("legacy-owner");
    // What the code before the policy stored for `POST /v1/wallets {"password":"x"}`.
    const cipher = createWalletCipher({
      limiter: createKdfLimiter(),
      params: OWASP_MIN_KDF_PARAMS,
    });
    const keypair = createWalletKeypair();
    const id = createUuidV7() as WalletId;
    const envelope = await cipher.encrypt(
      { walletId: id, publicKey: keypair.publicKey },
      keypair.secretKey,
      "x",
    );
    await env.server.app.store.wallets.create({
      id,
      userId: String(registered.body.userId) as UserId,
      label: "legacy",
      publicKey: keypair.publicKey,
      envelope,
    });
    const path = `/v1/wallets/${id}`;

    const unlocked = await env.http.call("POST", `${path}/unlock`, { password: "x" }, auth);
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.body.passwordChangeRequired).toBe(true);
    expect(typeof unlocked.body.sessionToken).toBe("string");
    const exported = await env.http.call("POST", `${path}/export`, { password: "x" }, auth);
    expect(exported.status).toBe(200);
    expect(exported.body.secretKey).toBe(getBase58Decoder().decode(keypair.secretKey));

    const audit = await auditOf(auth);
    expect(audit.find((entry) => entry.action === "wallet.unlock")?.detail).toMatchObject({
      outcome: "ok",
      passwordChangeRequired: true,
    });
    expect(audit.find((entry) => entry.action === "wallet.export")?.detail).toMatchObject({
      outcome: "ok",
      passwordChangeRequired: true,
    });

    // Changing it is allowed from the weak password, to a strong one only.
    const weakAgain = await env.http.call(
      "POST",
      `${path}/password`,
      { password: "x", newPassword: "y" },
      auth,
    );
    expect(weakAgain.body.error?.code).toBe("WEAK_PASSWORD");
    const changed = await env.http.call(
      "POST",
      `${path}/password`,
      { password: "x", newPassword: "a much better one" },
      auth,
    );
    expect(changed.status, changed.text).toBe(200);
    const after = await env.http.call(
      "POST",
      `${path}/unlock`,
      { password: "a much better one" },
      auth,
    );
    expect(after.status).toBe(200);
    expect(after.body.passwordChangeRequired).toBe(false);
  });

  it("documents passwordChangeRequired and the policy in the OpenAPI document", async () => {
    const spec = await env.http.call("GET", "/docs/json");
    const text = JSON.stringify(spec.body);
    expect(text).toContain("passwordChangeRequired");
    expect(text).toContain("WEAK_PASSWORD");
  });
});
