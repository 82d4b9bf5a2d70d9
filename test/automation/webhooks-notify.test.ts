import { describe, expect, it } from "vitest";
import { createUserNotifier } from "../../src/automation/notify-user.js";
import type { WebhookService } from "../../src/automation/webhooks/webhook-service.js";
import type { UserEvent } from "../../src/events/event-types.js";
import { createMemoryEventBus } from "../../src/events/memory-event-bus.js";

describe("user notifier", () => {
  function setUp(enqueue: WebhookService["enqueue"]) {
    const bus = createMemoryEventBus();
    const webhooks: WebhookService = {
      set: () => Promise.reject(new Error("unused")),
      get: () => Promise.resolve(null),
      remove: () => Promise.resolve(false),
      enqueue,
    };
    const errors: unknown[] = [];
    const notify = createUserNotifier({ bus, webhooks, onError: (e) => errors.push(e) });
    return { bus, notify, errors };
  }

  it("publishes every event; queues triggers and final orders for the webhook", async () => {
    const queued: string[] = [];
    const { bus, notify } = setUp(async (_userId, event) => {
      queued.push(`${event.type}:${String((event.data as Record<string, unknown>).status)}`);
    });
    const seen: UserEvent[] = [];
    await bus.subscribe("u", (event) => seen.push(event));
    for (const status of ["PENDING", "SUBMITTED", "CONFIRMED", "FAILED", "EXPIRED", "REJECTED"])
      await notify("u", { type: "order", data: { status } });
    await notify("u", { type: "trigger", data: { status: "ARMED" } });
    await notify("u", { type: "balance", data: { walletId: "w" } });
    expect(seen).toHaveLength(8);
    expect(queued).toEqual([
      "order:CONFIRMED",
      "order:FAILED",
      "order:EXPIRED",
      "order:REJECTED",
      "trigger:ARMED",
    ]);
    await bus.close();
  });

  it("never throws when the webhook cannot be queued: the event still reaches the stream", async () => {
    const { bus, notify, errors } = setUp(() => Promise.reject(new Error("database down")));
    const seen: UserEvent[] = [];
    await bus.subscribe("u", (event) => seen.push(event));
    await expect(
      notify("u", { type: "trigger", data: { status: "FIRED" } }),
    ).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(errors).toEqual([new Error("database down")]);
    await bus.close();
  });
});
