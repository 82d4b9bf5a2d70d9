import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { EventBus, UserEvent } from "../../src/events/event-types.js";
import { parseUserEvent } from "../../src/events/event-types.js";
import { createMemoryEventBus } from "../../src/events/memory-event-bus.js";
import {
  createOrderChangePublisher,
  createWithdrawalChangePublisher,
} from "../../src/events/order-events.js";
import { createRedisEventBus } from "../../src/events/redis-event-bus.js";
import { describeUnless } from "../support/describe-unless.js";
import { REDIS_SKIP_REASON } from "../support/kv-stores.js";

const redisUrl = process.env.TEST_REDIS_URL ?? "";

/** Collects what a listener hears, and waits for the n-th thing without a fixed sleep. */
function collector() {
  const heard: UserEvent[] = [];
  const waiting = new Set<() => void>();
  return {
    heard,
    listener: (event: UserEvent) => {
      heard.push(event);
      for (const wake of [...waiting]) wake();
    },
    async atLeast(count: number) {
      if (heard.length >= count) return heard;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`heard ${heard.length} of ${count}`)),
          10_000,
        );
        const wake = () => {
          if (heard.length < count) return;
          clearTimeout(timer);
          waiting.delete(wake);
          resolve();
        };
        waiting.add(wake);
      });
      return heard;
    },
  };
}

const balance = (walletId: string): UserEvent => ({ type: "balance", data: { walletId } });

function busContract(name: string, create: () => EventBus[]) {
  describe(`event bus contract [${name}]`, () => {
    const opened: EventBus[] = [];
    const open = () => {
      const buses = create();
      opened.push(...buses);
      return buses;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    it("delivers a user's events to that user's listeners only, in order", async () => {
      const [bus] = open();
      if (!bus) throw new Error("no bus");
      const alice = collector();
      const alice2 = collector();
      const bob = collector();
      await bus.subscribe("alice", alice.listener);
      await bus.subscribe("alice", alice2.listener);
      await bus.subscribe("bob", bob.listener);
      await bus.publish("alice", balance("w1"));
      await bus.publish("alice", balance("w2"));
      // Bob's marker comes after Alice's events: once he has it, he would have had hers.
      await bus.publish("bob", balance("marker"));
      expect(await alice.atLeast(2)).toEqual([balance("w1"), balance("w2")]);
      expect(await alice2.atLeast(2)).toEqual([balance("w1"), balance("w2")]);
      expect(await bob.atLeast(1)).toEqual([balance("marker")]);
    });

    it("stops delivering to a removed listener and counts what is left", async () => {
      const [bus] = open();
      if (!bus) throw new Error("no bus");
      const kept = collector();
      const removed = collector();
      await bus.subscribe("carol", kept.listener);
      const unsubscribe = await bus.subscribe("carol", removed.listener);
      expect(bus.countListeners("carol")).toBe(2);
      unsubscribe();
      unsubscribe();
      expect(bus.countListeners("carol")).toBe(1);
      expect(bus.countListeners()).toBe(1);
      await bus.publish("carol", balance("after"));
      await kept.atLeast(1);
      expect(removed.heard).toEqual([]);
    });

    it("keeps delivering when one listener throws", async () => {
      const [bus] = open();
      if (!bus) throw new Error("no bus");
      const good = collector();
      await bus.subscribe("dave", () => {
        throw new Error("broken listener");
      });
      await bus.subscribe("dave", good.listener);
      await bus.publish("dave", balance("x"));
      expect(await good.atLeast(1)).toEqual([balance("x")]);
    });
  });
}

busContract("memory", () => [createMemoryEventBus()]);

describeUnless(REDIS_SKIP_REASON, "event bus across instances [redis]", () => {
  busContract("redis", () => [
    createRedisEventBus({ url: redisUrl, prefix: `osprey-test:${randomUUID()}:` }),
  ]);

  const buses: EventBus[] = [];
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });

  it("delivers an event published on one instance to a listener on another with the same prefix only", async () => {
    const prefix = `osprey-test:${randomUUID()}:`;
    const one = createRedisEventBus({ url: redisUrl, prefix });
    const two = createRedisEventBus({ url: redisUrl, prefix });
    const stranger = createRedisEventBus({ url: redisUrl, prefix: `osprey-test:${randomUUID()}:` });
    buses.push(one, two, stranger);
    const onTwo = collector();
    const onStranger = collector();
    await two.subscribe("erin", onTwo.listener);
    await stranger.subscribe("erin", onStranger.listener);
    await one.publish("erin", balance("crossed"));
    await stranger.publish("erin", balance("own"));
    expect(await onTwo.atLeast(1)).toEqual([balance("crossed")]);
    expect(await onStranger.atLeast(1)).toEqual([balance("own")]);
  });

  it("does not lose an event published while the bus's first connection is being made", async () => {
    const prefix = `osprey-test:${randomUUID()}:`;
    const listening = createRedisEventBus({ url: redisUrl, prefix });
    buses.push(listening);
    const heard = collector();
    await listening.subscribe("gus", heard.listener);
    const fresh = createRedisEventBus({ url: redisUrl, prefix });
    buses.push(fresh);
    await fresh.publish("gus", balance("early"));
    expect(await heard.atLeast(1)).toEqual([balance("early")]);
  });

  it("answers KV_UNAVAILABLE when Redis cannot confirm a subscription, and keeps no listener", async () => {
    const bus = createRedisEventBus({ url: "redis://127.0.0.1:9", connectTimeoutMs: 200 });
    buses.push(bus);
    await expect(bus.subscribe("frank", () => {})).rejects.toMatchObject({
      code: "KV_UNAVAILABLE",
    });
    expect(bus.countListeners()).toBe(0);
    // Publishing into the void loses the event, and says so without throwing.
    await expect(bus.publish("frank", balance("lost"))).resolves.toBeUndefined();
  });
});

describe("order and withdrawal publishers", () => {
  it("sends the JSON as it is, and a balance event when balances changed", async () => {
    const bus = createMemoryEventBus();
    const heard = collector();
    await bus.subscribe("gina", heard.listener);
    const onOrder = createOrderChangePublisher(bus);
    const onWithdrawal = createWithdrawalChangePublisher(bus);
    await onOrder("gina", { id: "o1", status: "SUBMITTED", walletId: "w1" });
    await onOrder("gina", { id: "o1", status: "CONFIRMED", walletId: "w1" });
    await onWithdrawal("gina", { id: "d1", status: "CONFIRMED", walletId: "w2" });
    expect(await heard.atLeast(5)).toEqual([
      { type: "order", data: { id: "o1", status: "SUBMITTED", walletId: "w1" } },
      { type: "order", data: { id: "o1", status: "CONFIRMED", walletId: "w1" } },
      balance("w1"),
      { type: "withdrawal", data: { id: "d1", status: "CONFIRMED", walletId: "w2" } },
      balance("w2"),
    ]);
    await bus.close();
  });

  it("reads back only event-shaped messages from the wire", () => {
    expect(parseUserEvent('{"type":"balance","data":{"walletId":"w"}}')).toEqual(balance("w"));
    for (const bad of ["nope", "null", '{"type":"admin","data":{}}', '{"type":"order","data":[]}'])
      expect(parseUserEvent(bad)).toBeUndefined();
  });
});
