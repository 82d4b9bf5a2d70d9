import { z } from "zod";
import { isOrderId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import { getReservedKeyPrefix, RESERVED_ORDER_KEYS } from "../../core/reserved-keys.js";
import type { RateLimit } from "../../kv/rate-limiter.js";
import type { OrderRecord } from "../../store/repositories/orders-repository.js";
import type { Store } from "../../store/store.js";
import { getPositions } from "../../trading/get-positions.js";
import type { OrderDeps } from "../../trading/order-deps.js";
import type { OrderEngine } from "../../trading/order-engine.js";
import { toOrderJson } from "../../trading/order-json.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import { getIdempotencyKey } from "../idempotency-key.js";
import { queryInteger } from "../query-integer.js";
import type { RequireAccess } from "../route-access.js";
import { getSessionToken } from "./wallet-routes.js";

export interface OrderRoutesOptions {
  readonly engine: OrderEngine;
  readonly store: Store;
  readonly requireAccess: RequireAccess;
  readonly positions: Pick<OrderDeps, "store" | "swapClient" | "prices" | "chain">;
  /** Orders per user per window; reads get five times as many. Default 120 a minute. */
  readonly orderLimit?: RateLimit;
}

/** POST/GET /v1/orders, GET /v1/orders/:id, GET /v1/positions — the caller's own only. */
export function createOrderRoutes(options: OrderRoutesOptions): RouteModule {
  const { engine, store, requireAccess } = options;
  const orderLimit = options.orderLimit ?? { limit: 120, windowMs: 60_000 };
  const readLimit = { limit: orderLimit.limit * 5, windowMs: orderLimit.windowMs };
  // Counted per user, after authentication: one user's burst never spends another's allowance.
  const place = requireAccess("trade", { bucket: "orders:place", perUser: orderLimit });
  const read = requireAccess("read", { bucket: "orders:read", perUser: readLimit });
  const withEvents = async (order: OrderRecord) =>
    toOrderJson(order, await store.orders.listEvents(order.id));

  return (app) => {
    app.post(
      "/v1/orders",
      {
        onRequest: place,
        schema: {
          tags: ["orders"],
          summary:
            "Buy ({side:'buy', mint, amountLamports, slippageBps?, acceptRisk?}) or sell ({side:'sell', mint, amount | percent, slippageBps?}). Needs Idempotency-Key and X-Trading-Session. Answers 202 with the order once it is final or after at most a few seconds (then poll GET /v1/orders/:id); a retry with the same key answers 200 with the same order.",
          description:
            "Optional overrides of the user's settings (GET/PUT /v1/settings), each as the settings validate it (bad: 400 INVALID_INPUT, nothing written): slippageBps (1–5000), priorityLevel (none | low | medium | high | veryHigh: the 0th/25th/50th/75th/95th percentile of recent priority fees on the route's pools), maxPriorityFeeLamports (digits, 1–1000000000: price × compute limit is capped at it), mevProtection (boolean: land through private routes only, with a tip; none configured: 422 MEV_PROTECTION_UNAVAILABLE, nothing written), tipLamports (digits, 1000–1000000000, or null for the automatic tip). A field left out takes the user's setting. The order answers networkFeeLamports (the landed transaction's meta.fee), priorityFeeLamports (price × limit, rounded up), tipLamports (strings, null until confirmed or without a tip) and mevProtected (boolean).",
          body: z.record(z.string(), z.unknown()),
        },
      },
      async (request, reply) => {
        const { userId } = getPrincipal(request);
        const idempotencyKey = getIdempotencyKey(request);
        // Standing orders' firings (src/automation) and chat buttons (src/telegram) own these
        // keys: a user's order cannot take one.
        const reserved = getReservedKeyPrefix(idempotencyKey);
        if (reserved)
          throw new OspreyError(
            "INVALID_INPUT",
            `Idempotency keys starting with \`${reserved}\` are reserved for ${RESERVED_ORDER_KEYS[reserved]}.`,
          );
        const sessionToken = getSessionToken(request);
        const placed = await engine.placeOrder({
          userId,
          sessionToken,
          idempotencyKey,
          body: request.body,
        });
        return reply.status(placed.created ? 202 : 200).send(await withEvents(placed.order));
      },
    );

    app.get(
      "/v1/orders",
      {
        onRequest: read,
        schema: {
          tags: ["orders"],
          summary: "The caller's orders, newest first, each with its status history",
          querystring: z.object({ limit: queryInteger(1, 200).default(50) }),
        },
      },
      async (request) => {
        const orders = await engine.listOrders(getPrincipal(request).userId, request.query.limit);
        const events = await store.orders.listEventsOfOrders(orders.map((order) => order.id));
        return { orders: orders.map((order) => toOrderJson(order, events.get(order.id) ?? [])) };
      },
    );

    app.get(
      "/v1/orders/:id",
      {
        onRequest: read,
        schema: {
          tags: ["orders"],
          summary: "One of the caller's orders with its status history",
          params: z.object({ id: z.string().max(64) }),
        },
      },
      async (request) => {
        const { id } = request.params;
        // Another user's order and a missing one answer the same 404.
        const order = isOrderId(id)
          ? await engine.getOrder(getPrincipal(request).userId, id)
          : undefined;
        if (!order) throw new OspreyError("ORDER_NOT_FOUND");
        return withEvents(order);
      },
    );

    app.get(
      "/v1/positions",
      {
        onRequest: read,
        schema: {
          tags: ["orders"],
          summary: "Holdings: amount, average cost in SOL and USD, realized and unrealized P&L",
        },
      },
      async (request) => ({
        positions: await getPositions(options.positions, getPrincipal(request).userId),
      }),
    );
  };
}
