import type { Order, Withdrawal } from "./api.js";
import type { Trigger } from "./automation-api.js";

export interface PriceTick {
  mint: string;
  priceUsd: number | null;
  priceSol: number | null;
  time: number | string;
}

export interface LiveHandlers {
  order(order: Order): void;
  withdrawal(withdrawal: Withdrawal): void;
  /** A standing order's JSON on every status change and firing. */
  trigger(trigger: Trigger): void;
  balance(event: { walletId: string }): void;
  price(tick: PriceTick): void;
  connected(connected: boolean): void;
}

/**
 * The per-user event stream (/v1/events, cookie auth). One EventSource at a time; watching another
 * mint reopens it. When it drops it reconnects with backoff (1 s doubling to 30 s), and after a
 * reconnect the app reloads what it shows, so nothing missed while offline stays stale.
 */
export class LiveEvents {
  private source: EventSource | null = null;
  private watch: string | null = null;
  private retryMs = 1000;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private everConnected = false;

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly onResync: () => void,
  ) {}

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.close();
    this.source = null;
    this.handlers.connected(false);
  }

  setWatch(mint: string | null) {
    if (mint === this.watch) return;
    this.watch = mint;
    if (!this.stopped) this.open();
  }

  private open() {
    this.source?.close();
    if (this.timer) clearTimeout(this.timer);
    const url = this.watch ? `/v1/events?watch=${encodeURIComponent(this.watch)}` : "/v1/events";
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    const parse = <T>(event: MessageEvent): T | undefined => {
      try {
        return JSON.parse(String(event.data)) as T;
      } catch {
        return undefined;
      }
    };
    source.addEventListener("ready", () => {
      this.retryMs = 1000;
      this.handlers.connected(true);
      if (this.everConnected) this.onResync();
      this.everConnected = true;
    });
    source.addEventListener("order", (event) => {
      const order = parse<Order>(event as MessageEvent);
      if (order) this.handlers.order(order);
    });
    source.addEventListener("withdrawal", (event) => {
      const withdrawal = parse<Withdrawal>(event as MessageEvent);
      if (withdrawal) this.handlers.withdrawal(withdrawal);
    });
    source.addEventListener("trigger", (event) => {
      const trigger = parse<Trigger>(event as MessageEvent);
      if (trigger) this.handlers.trigger(trigger);
    });
    source.addEventListener("balance", (event) => {
      const balance = parse<{ walletId: string }>(event as MessageEvent);
      if (balance) this.handlers.balance(balance);
    });
    source.addEventListener("price", (event) => {
      const tick = parse<PriceTick>(event as MessageEvent);
      if (tick) this.handlers.price(tick);
    });
    source.onerror = () => {
      // The browser retries on its own only for some failures; take over with our own backoff.
      if (source !== this.source) return;
      source.close();
      this.source = null;
      this.handlers.connected(false);
      if (this.stopped) return;
      this.timer = setTimeout(() => this.open(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
  }
}
