import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../src/automation/webhooks/webhook-signature.js";
import { createHttpClient } from "../support/http-client.js";
import { startJsonServer } from "../support/json-server.js";
import { startTestApp } from "../support/test-app.js";

type TestServer = Awaited<ReturnType<typeof startTestApp>>;
type Receiver = Awaited<ReturnType<typeof startJsonServer>>;

const FAST = { webhooks: { backoffBaseMs: 20, maxBackoffMs: 100, intervalMs: 20 } };

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("condition not reached");
}

async function userIdOf(server: TestServer, username: string): Promise<string> {
  const row = await server.app.store.database.db
    .selectFrom("users")
    .select("id")
    .where("username", "=", username)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("webhooks", () => {
  let server: TestServer;
  let receiver: Receiver;
  let auth: Record<string, string>;
  let userId: string;
  // Scripted answers, one per request; then 200.
  const script: number[] = [];
  const http = () => createHttpClient(server.url);
  const deliveries = () =>
    server.app.store.database.db.selectFrom("webhookDeliveries").selectAll().execute();

  beforeAll(async () => {
    receiver = await startJsonServer((_request, response) => {
      response.statusCode = script.shift() ?? 200;
      if (response.statusCode === 302) response.setHeader("location", `${receiver.url}/moved`);
      response.end();
    });
    server = await startTestApp({}, FAST);
    auth = await http().signUp("hooked");
    userId = await userIdOf(server, "hooked");
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await receiver?.close();
  });

  it.each([
    ["ftp://example.com/hook"],
    ["not a url"],
    [`https://example.com/${"a".repeat(2050)}`],
    ["https://user:pw@example.com/hook"],
    [""],
  ])("refuses %s with 400 INVALID_INPUT and stores nothing", async (url) => {
    const answer = await http().call("PUT", "/v1/webhook", { url }, auth);
    expect([answer.status, answer.body.error?.code]).toEqual([400, "INVALID_INPUT"]);
    expect((await http().call("GET", "/v1/webhook", undefined, auth)).status).toBe(404);
    const rows = await server.app.store.database.db
      .selectFrom("userWebhooks")
      .selectAll()
      .execute();
    expect(rows).toEqual([]);
  });

  it("delivers a trigger event signed with the secret; final orders only", async () => {
    const set = await http().call("PUT", "/v1/webhook", { url: `${receiver.url}/hook` }, auth);
    expect(set.status).toBe(200);
    const secret = String(set.body.secret);
    const read = await http().call("GET", "/v1/webhook", undefined, auth);
    expect(read.body).toEqual({ url: `${receiver.url}/hook`, createdAt: set.body.createdAt });
    expect(read.text).not.toContain(secret);

    const { notify } = server.app.automation;
    await notify(userId, { type: "order", data: { id: "o-1", status: "SUBMITTED" } });
    await notify(userId, { type: "trigger", data: { id: "t-1", status: "FIRED" } });
    await notify(userId, { type: "order", data: { id: "o-1", status: "CONFIRMED" } });
    await until(
      () => receiver.requests.length,
      (count) => count >= 2,
    );
    const [first, second] = receiver.requests;
    expect(receiver.requests).toHaveLength(2);
    for (const request of [first, second]) {
      const header = String(request?.headers["x-osprey-signature"]);
      expect(verifyWebhookSignature(secret, header, String(request?.body))).toBe(true);
      expect(verifyWebhookSignature("whsec_other", header, String(request?.body))).toBe(false);
      const body = JSON.parse(String(request?.body)) as { id: string; type: string };
      expect(request?.headers["x-osprey-delivery"]).toBe(body.id);
      expect(request?.headers["x-osprey-event"]).toBe(body.type);
    }
    const bodies = [first, second].map((request) => JSON.parse(String(request?.body)));
    expect(bodies.map((body) => [body.type, body.data.status]).sort()).toEqual([
      ["order", "CONFIRMED"],
      ["trigger", "FIRED"],
    ]);
  });

  it("retries a failing receiver with backoff: the third attempt delivers", async () => {
    receiver.requests.length = 0;
    script.push(500, 503);
    await server.app.automation.notify(userId, { type: "trigger", data: { id: "t-2" } });
    await until(
      () => receiver.requests.length,
      (count) => count >= 3,
    );
    const ids = new Set(receiver.requests.map((request) => request.headers["x-osprey-delivery"]));
    expect(ids.size).toBe(1);
    const row = await until(
      async () => (await deliveries()).find((delivery) => delivery.id === [...ids][0]),
      (delivery) => delivery?.status === "DELIVERED",
    );
    expect(row?.attempts).toBe(3);
    const metrics = (await http().call("GET", "/metrics")).text;
    expect(metrics).toMatch(/osprey_webhook_deliveries_total\{outcome="retry"\} 2/);
    expect(metrics).toMatch(/osprey_webhook_deliveries_total\{outcome="delivered"\} [34]/);
  });

  it("does not follow a redirect: the attempt fails and is retried", async () => {
    receiver.requests.length = 0;
    script.push(302);
    await server.app.automation.notify(userId, { type: "trigger", data: { id: "t-3" } });
    await until(
      () => receiver.requests.length,
      (count) => count >= 2,
    );
    expect(receiver.requests.map((request) => request.url)).toEqual(["/hook", "/hook"]);
  });

  it("queues nothing once the webhook is removed", async () => {
    expect((await http().call("DELETE", "/v1/webhook", undefined, auth)).status).toBe(200);
    expect((await http().call("DELETE", "/v1/webhook", undefined, auth)).status).toBe(404);
    const before = (await deliveries()).length;
    await server.app.automation.notify(userId, { type: "trigger", data: { id: "t-4" } });
    expect((await deliveries()).length).toBe(before);
  });
});

describe("webhook outbox across a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "osprey-webhook-restart-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("delivers an event queued before the app stopped, after it starts again", async () => {
    const receiver = await startJsonServer((_request, response) => {
      response.statusCode = 200;
      response.end();
    });
    try {
      // The first app polls once an hour: the event stays queued when it stops.
      const first = await startTestApp(
        { DATA_DIR: dataDir },
        { webhooks: { intervalMs: 3_600_000 } },
      );
      const auth = await createHttpClient(first.url).signUp("restarted");
      const set = await createHttpClient(first.url).call(
        "PUT",
        "/v1/webhook",
        { url: receiver.url },
        auth,
      );
      const userId = await userIdOf(first, "restarted");
      await first.app.automation.notify(userId, { type: "trigger", data: { id: "t-9" } });
      await first.close();
      expect(receiver.requests).toHaveLength(0);

      const second = await startTestApp({ DATA_DIR: dataDir }, FAST);
      try {
        await until(
          () => receiver.requests.length,
          (count) => count >= 1,
        );
        const [request] = receiver.requests;
        const header = String(request?.headers["x-osprey-signature"]);
        expect(verifyWebhookSignature(String(set.body.secret), header, String(request?.body))).toBe(
          true,
        );
        expect(JSON.parse(String(request?.body)).data).toEqual({ id: "t-9" });
      } finally {
        await second.close();
      }
    } finally {
      await receiver.close();
    }
  });
});
