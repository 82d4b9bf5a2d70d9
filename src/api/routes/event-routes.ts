import type { ServerResponse } from "node:http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { isAddress } from "../../core/addresses.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { EventBus, PriceTick, UserEvent } from "../../events/event-types.js";
import type { RouteModule } from "../api-types.js";
import { getPrincipal } from "../auth-guard.js";
import type { RequireAccess } from "../route-access.js";

/** The price sampler as the stream needs it: told of every tick, and of the mints in view. */
export interface PriceTicks {
  onTick(listener: (tick: PriceTick) => void): unknown;
  /** Keeps sampling the mint for a while; called again on every ping while a stream watches it. */
  watch(mint: string): unknown;
}

export interface EventRoutesOptions {
  readonly bus: EventBus;
  readonly requireAccess: RequireAccess;
  readonly priceTicks?: PriceTicks;
  /** Streams one user may hold open on this instance at once (EVENT_STREAMS_PER_USER). */
  readonly maxStreamsPerUser?: number;
  /** Comment lines that keep proxies from closing an idle stream (default 15 s). */
  readonly pingIntervalMs?: number;
  /**
   * Asked at every ping whether the request's credential still holds: a stream ends soon after
   * its login is logged out or its API key revoked, not only when the client leaves.
   */
  readonly isStillAuthenticated?: (request: FastifyRequest) => Promise<boolean>;
}

// A client that reads nothing would otherwise make the server buffer its events forever.
const MAX_BUFFERED_BYTES = 1_000_000;
const RECONNECT_MS = 3_000;

function frame(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * GET /v1/events: the caller's server-sent events (order, withdrawal, balance, price of the
 * watched mint), `ready` once subscribed, a ping comment every 15 s. Every resource a stream
 * holds (bus listener, tick listener, timer, its place in the per-user count) is released when
 * the connection closes, and every stream is ended when the server closes.
 */
export function createEventRoutes(options: EventRoutesOptions): RouteModule {
  const { bus, requireAccess, priceTicks } = options;
  const maxStreams = options.maxStreamsPerUser ?? 5;
  const pingIntervalMs = options.pingIntervalMs ?? 15_000;
  const openByUser = new Map<string, number>();
  const closers = new Set<() => void>();
  const tickListeners = new Map<string, Set<(tick: PriceTick) => void>>();
  priceTicks?.onTick((tick) => {
    for (const listener of tickListeners.get(tick.mint) ?? []) listener(tick);
  });

  function watchTicks(mint: string, listener: (tick: PriceTick) => void): () => void {
    const set = tickListeners.get(mint) ?? new Set();
    set.add(listener);
    tickListeners.set(mint, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) tickListeners.delete(mint);
    };
  }

  function reserve(userId: string): () => void {
    const open = openByUser.get(userId) ?? 0;
    if (open >= maxStreams) {
      throw new OspreyError(
        "RATE_LIMITED",
        `At most ${maxStreams} event streams per user at once; close one first.`,
        { limit: maxStreams, retryAfterMs: RECONNECT_MS },
      );
    }
    openByUser.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (openByUser.get(userId) ?? 1) - 1;
      if (left > 0) openByUser.set(userId, left);
      else openByUser.delete(userId);
    };
  }

  return (app) => {
    app.addHook("preClose", async () => {
      for (const close of [...closers]) close();
    });

    app.get(
      "/v1/events",
      {
        onRequest: requireAccess("read", {
          bucket: "events",
          // Reconnects of a few tabs after a restart fit; a reconnect loop does not.
          perUser: { limit: 120, windowMs: 60_000 },
        }),
        schema: {
          tags: ["events"],
          summary: "Your live events (text/event-stream): order, withdrawal, balance, price",
          description: `Server-sent events for the caller. \`order\`: the order JSON of GET /v1/orders/{id} on every status change; \`withdrawal\`: the withdrawal JSON; \`balance\` {walletId}: re-read that wallet's balances (after a fill or a withdrawal); \`price\` {mint, priceUsd, priceSol, time}: ticks of the \`watch\` mint; \`ready\` {} once subscribed (after a reconnect, read the state again: events sent while disconnected are not replayed); a \`: ping\` comment every ${pingIntervalMs / 1000} s. At most ${maxStreams} streams per user at once (429 RATE_LIMITED beyond). Works with the web session cookie or a bearer credential.`,
          querystring: z.object({
            watch: z
              .string()
              .max(64)
              .optional()
              .describe("A token mint whose price ticks to send (400 INVALID_ADDRESS otherwise)"),
          }),
        },
      },
      async (request, reply) => {
        const { userId } = getPrincipal(request);
        const { watch } = request.query;
        if (watch !== undefined && !isAddress(watch))
          throw new OspreyError("INVALID_ADDRESS", "watch must be a token mint address.", {
            field: "watch",
          });
        const release = reserve(userId);

        // Events that arrive between the subscription and the headers wait here, in order.
        let raw: ServerResponse | null = null;
        const early: string[] = [];
        const send = (text: string) => {
          if (!raw) {
            early.push(text);
            return;
          }
          if (raw.destroyed || raw.writableEnded) return;
          raw.write(text);
          if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
        };
        let unsubscribe: () => void;
        try {
          unsubscribe = await bus.subscribe(userId, (event: UserEvent) =>
            send(frame(event.type, event.data)),
          );
        } catch (error) {
          release();
          throw error;
        }
        const unwatch = watch
          ? watchTicks(watch, (tick) =>
              send(
                frame("price", {
                  mint: tick.mint,
                  priceUsd: tick.priceUsd,
                  priceSol: tick.priceSol,
                  time: tick.time,
                }),
              ),
            )
          : () => {};
        if (watch) priceTicks?.watch(watch);

        reply.hijack();
        raw = reply.raw;
        const ping = setInterval(() => {
          send(": ping\n\n");
          if (watch) priceTicks?.watch(watch);
          options.isStillAuthenticated?.(request).then(
            (valid) => valid || close(),
            () => {},
          );
        }, pingIntervalMs);
        ping.unref();
        let closed = false;
        const close = () => {
          if (closed) return;
          closed = true;
          clearInterval(ping);
          unsubscribe();
          unwatch();
          release();
          closers.delete(close);
          if (raw && !raw.writableEnded) raw.end();
        };
        closers.add(close);
        raw.on("close", close);
        raw.on("error", close);
        // What the hooks set so far (the request id), then the stream's own headers.
        for (const [name, value] of Object.entries(reply.getHeaders()))
          if (value !== undefined) raw.setHeader(name, value);
        raw.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          // nginx would otherwise hold events back to fill its buffer.
          "x-accel-buffering": "no",
        });
        raw.write(`retry: ${RECONNECT_MS}\n\n${frame("ready", {})}`);
        for (const text of early.splice(0)) send(text);
      },
    );
  };
}
