import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  ApiError,
  api,
  type Candle,
  isSessionError,
  newIdempotencyKey,
  type Order,
  type OrderOverrides,
  type SafetyCheck,
  type SafetyReport,
  type TokenInfo,
} from "./api.js";
import { Form, TextField } from "./form.js";
import {
  formatPrice,
  formatSol,
  formatUnits,
  formatUsd,
  parseSol,
  parseUnits,
  shortAddress,
} from "./format.js";
import type { PriceTick } from "./live-events.js";
import { OrderOptions, type OrderOptionsState, useOrderOptions } from "./order-options.js";
import { networkFeeOf, OrderFees } from "./orders-screen.js";
import { PriceChart } from "./price-chart.js";
import { useApp } from "./state.js";
import { TokenAutomation, TokenTriggers } from "./token-triggers.js";
import {
  BusyButton,
  CopyButton,
  Dialog,
  ErrorNote,
  StatusBadge,
  useAction,
  useDebounced,
  useLatestLoad,
} from "./ui.js";
import { withSession } from "./with-session.js";

const STATUS_ORDER = { fail: 0, unknown: 1, warn: 2, pass: 3 } as const;
const CHECK_NAMES: Record<string, string> = {
  mint_authority: "Mint authority",
  freeze_authority: "Freeze authority",
  permanent_delegate: "Permanent delegate",
  non_transferable: "Non-transferable",
  default_account_state: "Default account state",
  pausable: "Pausable",
  transfer_fee: "Transfer fee",
  transfer_hook: "Transfer hook",
  mint_close_authority: "Mint close authority",
  confidential_transfer: "Confidential transfer",
  interest_bearing: "Interest bearing",
  scaled_ui_amount: "Scaled UI amount",
  metadata_missing: "Metadata",
  metadata_mutable: "Metadata mutability",
  holder_concentration: "Holder concentration",
  sell_route: "Sell route",
  price_impact: "Price impact",
  round_trip_loss: "Round-trip loss",
  allow_list: "Allow list",
  impersonation: "Impersonation",
  unknown_extension: "Unknown extension",
};
const checkName = (id: string) => CHECK_NAMES[id] ?? id.replace(/_/g, " ");
const STATUS_WORDS = {
  fail: "Fails",
  unknown: "Unknown",
  warn: "Warning",
  pass: "Passes",
} as const;

/** Failing checks first, then unknown, warnings, passes. */
export function sortChecks(checks: SafetyCheck[]): SafetyCheck[] {
  return checks.slice().sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
}
const concerns = (checks: SafetyCheck[]) =>
  sortChecks(checks).filter((check) => check.status !== "pass");

const VERDICT_TEXT = {
  ok: "No risk found",
  warn: "Risky: read the warnings before buying",
  block: "Blocked: Osprey will not buy this token",
} as const;

function SafetyPanel(props: { report: SafetyReport | null; error: unknown; loading: boolean }) {
  const { report } = props;
  return (
    <section class="card safety" aria-labelledby="safety-title">
      <h2 id="safety-title">Safety report</h2>
      {props.loading && !report ? <p class="muted">Reading the token from the chain…</p> : null}
      <ErrorNote error={props.error} />
      {report ? (
        <>
          <p class={`verdict verdict-${report.verdict}`} data-verdict={report.verdict}>
            <strong>{report.verdict.toUpperCase()}</strong> · {VERDICT_TEXT[report.verdict]} · risk
            score {report.score}/100
          </p>
          <ul class="checks">
            {sortChecks(report.checks).map((check) => (
              <li
                key={check.id}
                class={`check check-${check.status}`}
                data-check={check.id}
                data-check-status={check.status}
              >
                <span class={`check-status s-${check.status}`}>{STATUS_WORDS[check.status]}</span>
                <span class="check-name">{checkName(check.id)}</span>
                <span class="check-detail">{check.detail}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The quote for what is typed; `typed` is false while the amount is empty or does not parse. */
function QuoteTable(props: {
  state: ReturnType<typeof useQuote>;
  typed: boolean;
  outDecimals: number;
  outUnit: string;
}) {
  const { quote, error } = props.state;
  const loading = props.state.loading && props.typed;
  return (
    <div class="quote" aria-live="polite" aria-busy={loading ? "true" : "false"}>
      {quote ? (
        <dl class="kv">
          <dt>Expected</dt>
          <dd data-quote="out">
            {formatUnits(quote.outAmount, props.outDecimals)} {props.outUnit}
          </dd>
          <dt>Minimum received</dt>
          <dd>
            {formatUnits(quote.minAmountOut, props.outDecimals)} {props.outUnit}
          </dd>
          <dt>Price impact</dt>
          <dd>{(Number(quote.priceImpact) * 100).toFixed(2)}%</dd>
          <dt>Fee</dt>
          <dd>
            {formatSol(quote.feeLamports, 6)} SOL ({(quote.feeBps / 100).toFixed(2)}%)
          </dd>
          <dt>Slippage</dt>
          <dd>{(quote.slippageBps / 100).toFixed(2)}%</dd>
        </dl>
      ) : loading ? (
        <p class="muted">Getting a quote…</p>
      ) : (
        <p class="muted">Type an amount to see a quote.</p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** Quotes `amount` (base units) as the user types, after 300 ms of quiet; stale answers dropped. */
function useQuote(
  side: "buy" | "sell",
  mint: string,
  amount: bigint | undefined,
  slippageBps: number | undefined,
) {
  const key = amount && slippageBps ? `${amount}:${slippageBps}` : "";
  const debounced = useDebounced(key, 300);
  const load = useLatestLoad(debounced && `${side}:${mint}:${debounced}`, (signal) => {
    const [amountText = "", slippage = "100"] = debounced.split(":");
    return api.quote({ side, mint, amount: amountText, slippageBps: Number(slippage) }, signal);
  });
  return {
    quote: key ? load.data : null,
    error: load.error,
    loading: load.loading || key !== debounced,
  };
}

/** An amount to trade: decimal, not autocompleted, marked invalid when it does not parse. */
function AmountField(props: {
  label: string;
  id: string;
  value: string;
  valid: boolean;
  onValue(value: string): void;
}) {
  return (
    <TextField
      label={props.label}
      id={props.id}
      inputMode="decimal"
      autocomplete="off"
      value={props.value}
      aria-invalid={props.valid ? undefined : "true"}
      onValue={props.onValue}
    />
  );
}

/** One action's Idempotency-Key: kept while the same order is retried, renewed for a new one. */
function useActionKey() {
  const ref = useRef<{ signature: string; key: string } | null>(null);
  return {
    keyFor(signature: string) {
      if (ref.current?.signature !== signature)
        ref.current = { signature, key: newIdempotencyKey() };
      return ref.current.key;
    },
    /** After a definite answer (placed, or refused with a 4xx), the next click is a new order. */
    done() {
      ref.current = null;
    },
  };
}

const isRetryable = (error: unknown) =>
  error instanceof ApiError && (error.status === 0 || error.status >= 500 || isSessionError(error));

/** What an order changes of the user's settings; refused when an advanced option does not parse. */
function overridesOf(options: OrderOptionsState): OrderOverrides {
  if (!options.valid)
    throw new ApiError(
      "INVALID_INPUT",
      "Check the advanced options: slippage 0.01% to 50%, priority fee and tip up to 1 SOL",
      400,
    );
  return options.overrides;
}

/** Places orders with one key per order (see useActionKey) and keeps the last one placed. */
function useOrderPlacer() {
  const app = useApp();
  const keys = useActionKey();
  const [lastOrder, setLastOrder] = useState<Order | null>(null);
  return {
    lastOrder,
    async place(signature: string, body: Record<string, unknown>) {
      const key = keys.keyFor(signature);
      try {
        const order = await withSession(app, null, "Unlock a wallet to place this order.", () =>
          api.placeOrder(body, key),
        );
        keys.done();
        app.upsertOrder(order);
        if (order.status === "CONFIRMED" || order.status === "FAILED") {
          void app.reloadPositions();
          void app.reloadWallets();
        }
        app.announce(`Order ${order.side} placed: ${order.status}.`);
        setLastOrder(order);
        return order;
      } catch (error) {
        if (!isRetryable(error)) keys.done();
        throw error;
      }
    },
  };
}

/** A row of one-click buttons, one per preset; `attribute` carries the preset (the tests find it). */
function Presets<T extends string | number>(props: {
  legend: string;
  values: T[];
  attribute: "data-preset" | "data-percent";
  class?: string;
  disabled: boolean;
  describedBy?: string | undefined;
  label(value: T): string;
  onPick(value: T): void;
}) {
  return (
    <fieldset class="presets">
      <legend class="sr-only">{props.legend}</legend>
      {props.values.map((value) => (
        <button
          key={value}
          type="button"
          class={props.class ? `preset ${props.class}` : "preset"}
          {...{ [props.attribute]: value }}
          disabled={props.disabled}
          aria-describedby={props.describedBy}
          onClick={() => props.onPick(value)}
        >
          {props.label(value)}
        </button>
      ))}
    </fieldset>
  );
}

function BuyPanel(props: {
  mint: string;
  symbol: string;
  decimals: number;
  report: SafetyReport | null;
}) {
  const app = useApp();
  const [amountText, setAmountText] = useState("");
  const [confirming, setConfirming] = useState<{ lamports: string; reasons: SafetyCheck[] } | null>(
    null,
  );
  const options = useOrderOptions(app.settings, app.meta?.mevProtection === true);
  const amount = parseSol(amountText);
  const { slippageBps } = options;
  const verdict = props.report?.verdict;
  const blocked = verdict === "block";
  // A blocked token is not quoted: there is nothing to buy.
  const quote = useQuote("buy", props.mint, blocked ? undefined : amount, slippageBps);
  const placer = useOrderPlacer();
  const action = useAction(async (lamports: string, acceptRisk: boolean) => {
    const overrides = overridesOf(options);
    const body = {
      side: "buy",
      mint: props.mint,
      amountLamports: lamports,
      ...overrides,
      ...(acceptRisk ? { acceptRisk: true } : {}),
    };
    try {
      await placer.place(`buy:${lamports}:${JSON.stringify(overrides)}:${acceptRisk}`, body);
    } catch (error) {
      // The verdict may have turned to warn since the page loaded: ask with the server's reasons.
      if (error instanceof ApiError && error.code === "RISK_NOT_ACCEPTED" && !acceptRisk) {
        const checks = (error.details as { checks?: SafetyCheck[] } | undefined)?.checks ?? [];
        setConfirming({ lamports, reasons: concerns(checks) });
        return;
      }
      throw error;
    }
  });
  const buy = (lamports: string) => {
    if (blocked) return;
    if (verdict === "warn") {
      setConfirming({ lamports, reasons: concerns(props.report?.checks ?? []) });
      return;
    }
    void action.run(lamports, false);
  };
  const blockReasons = blocked
    ? concerns(props.report?.checks ?? []).filter((check) => check.status === "fail")
    : [];
  return (
    <section class="card trade buy" aria-labelledby="buy-title">
      <h2 id="buy-title">Buy {props.symbol}</h2>
      {blocked ? (
        <div class="blocked" role="note" id="buy-blocked">
          <p>
            <strong>Buying is disabled:</strong> the safety report blocks this token.
          </p>
          <ul>
            {blockReasons.map((check) => (
              <li key={check.id}>
                {checkName(check.id)}: {check.detail}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <Presets
        legend="Buy with a preset amount"
        values={app.settings.buyPresetsLamports}
        attribute="data-preset"
        disabled={blocked || action.busy || !props.report}
        describedBy={blocked ? "buy-blocked" : undefined}
        label={(lamports) => `Buy ${formatSol(lamports)} SOL`}
        onPick={buy}
      />
      <Form onSubmit={() => amount && buy(amount.toString())}>
        <AmountField
          label="Amount (SOL)"
          id="buy-amount"
          value={amountText}
          valid={amountText === "" || !!amount}
          onValue={setAmountText}
        />
        <OrderOptions side="buy" options={options} />
        <QuoteTable
          state={quote}
          typed={!!amount}
          outDecimals={props.decimals}
          outUnit={props.symbol}
        />
        <BusyButton
          id="buy-submit"
          busy={action.busy}
          busyLabel="Placing order…"
          class="primary buy-button wide"
          disabled={blocked || !amount || !options.valid || !props.report}
          describedBy={blocked ? "buy-blocked" : undefined}
        >
          {amount ? `Buy ${formatSol(amount)} SOL of ${props.symbol}` : `Buy ${props.symbol}`}
        </BusyButton>
      </Form>
      <TradeOutcome error={action.error} order={placer.lastOrder} token={props} />
      <Dialog
        title={`Confirm the risk of ${props.symbol}`}
        open={confirming !== null}
        onClose={() => setConfirming(null)}
      >
        {confirming ? (
          <div class="confirm-risk">
            <p>The safety report warns about this token:</p>
            <ul class="checks">
              {confirming.reasons.map((check) => (
                <li key={check.id} class={`check check-${check.status}`}>
                  <span class={`check-status s-${check.status}`}>{STATUS_WORDS[check.status]}</span>
                  <span class="check-name">{checkName(check.id)}</span>
                  <span class="check-detail">{check.detail}</span>
                </li>
              ))}
            </ul>
            <p>
              Buy {formatSol(confirming.lamports)} SOL of {props.symbol} anyway?
            </p>
            <div class="actions">
              <button type="button" onClick={() => setConfirming(null)}>
                Cancel
              </button>
              <button
                type="button"
                class="danger"
                id="confirm-risk"
                onClick={() => {
                  const lamports = confirming.lamports;
                  setConfirming(null);
                  void action.run(lamports, true);
                }}
              >
                I understand the risks, buy
              </button>
            </div>
          </div>
        ) : null}
      </Dialog>
    </section>
  );
}

/** Under a trade panel: why the last try failed, and the last order placed, live from the store. */
function TradeOutcome(props: {
  error: unknown;
  order: Order | null;
  token: { decimals: number; symbol: string };
}) {
  const { order, token } = props;
  return (
    <>
      <ErrorNote error={props.error} />
      {order ? (
        <LastOrder orderId={order.id} decimals={token.decimals} symbol={token.symbol} />
      ) : null}
    </>
  );
}

function LastOrder(props: { orderId: string; decimals: number; symbol: string }) {
  const app = useApp();
  const order = app.orders?.find((item) => item.id === props.orderId);
  if (!order) return null;
  const received =
    order.amountOut === null
      ? null
      : order.side === "buy"
        ? `${formatUnits(order.amountOut, props.decimals)} ${props.symbol}`
        : `${formatSol(order.amountOut, 6)} SOL`;
  return (
    <div class="last-order" role="status">
      <p data-order-id={order.id} data-status={order.status}>
        Your {order.side}: <StatusBadge status={order.status} />
        {received ? <> · received {received}</> : null} · <a href="#/orders">all orders</a>
      </p>
      {networkFeeOf(order) !== null || order.tipLamports ? (
        <p class="muted small">
          Fees: <OrderFees order={order} />
        </p>
      ) : null}
      {order.error ? <p class="error-text">{order.error}</p> : null}
    </div>
  );
}

function SellPanel(props: { mint: string; symbol: string; decimals: number; focus: boolean }) {
  const app = useApp();
  const [amountText, setAmountText] = useState("");
  const held = (app.positions ?? [])
    .filter((position) => position.mint === props.mint)
    .reduce((sum, position) => sum + BigInt(position.amount), 0n);
  const amount = parseUnits(amountText, props.decimals);
  const options = useOrderOptions(app.settings, app.meta?.mevProtection === true);
  const quote = useQuote("sell", props.mint, amount, options.slippageBps);
  const placer = useOrderPlacer();
  const action = useAction(async (what: { percent: number } | { amount: string }) => {
    const overrides = overridesOf(options);
    const body = { side: "sell", mint: props.mint, ...overrides, ...what };
    await placer.place(`sell:${JSON.stringify(what)}:${JSON.stringify(overrides)}`, body);
  });
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!props.focus) return;
    // After the screen's own focus move (parent effects run after this one), and on the first
    // control that is enabled: the presets wait for the holding to load, the amount field never.
    const timer = setTimeout(() => {
      section.current?.querySelector<HTMLElement>("button:not(:disabled), #sell-amount")?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [props.focus]);
  return (
    <section class="card trade sell" aria-labelledby="sell-title" ref={section}>
      <h2 id="sell-title">Sell {props.symbol}</h2>
      <p class="muted">
        You hold <strong data-held={held.toString()}>{formatUnits(held, props.decimals)}</strong>{" "}
        {props.symbol}.
      </p>
      <Presets
        legend="Sell a share of your holding"
        values={app.settings.sellPresetsPercent}
        attribute="data-percent"
        class="sell-preset"
        disabled={held === 0n || action.busy}
        label={(percent) => `Sell ${percent}%`}
        onPick={(percent) => void action.run({ percent })}
      />
      <Form onSubmit={() => amount && action.run({ amount: amount.toString() })}>
        <AmountField
          label={`Amount (${props.symbol})`}
          id="sell-amount"
          value={amountText}
          valid={amountText === "" || !!amount}
          onValue={setAmountText}
        />
        <OrderOptions side="sell" options={options} />
        <QuoteTable state={quote} typed={!!amount} outDecimals={9} outUnit="SOL" />
        <BusyButton
          busy={action.busy}
          busyLabel="Placing order…"
          class="danger wide"
          disabled={!amount || held === 0n || !options.valid}
        >
          Sell {amount ? `${formatUnits(amount, props.decimals)} ${props.symbol}` : props.symbol}
        </BusyButton>
      </Form>
      <TradeOutcome error={action.error} order={placer.lastOrder} token={props} />
    </section>
  );
}

/** The token page: facts and price, chart with your trades, safety report, buy and sell. */
export function TokenPage(props: { mint: string; focusSell: boolean }) {
  const app = useApp();
  const { mint } = props;
  const [info, setInfo] = useState<TokenInfo | null>(null);
  const [infoError, setInfoError] = useState<unknown>(null);
  const [report, setReport] = useState<SafetyReport | null>(null);
  const [reportError, setReportError] = useState<unknown>(null);
  const [candles, setCandles] = useState<Candle[]>([]);
  const [tick, setTick] = useState<PriceTick | null>(null);

  useEffect(() => {
    setInfo(null);
    setReport(null);
    setInfoError(null);
    setReportError(null);
    setCandles([]);
    setTick(null);
    let live = true;
    api.token(mint).then(
      (answer) => live && setInfo(answer),
      (error: unknown) => live && setInfoError(error),
    );
    api.safety(mint).then(
      (answer) => live && setReport(answer),
      (error: unknown) => live && setReportError(error),
    );
    api.candles(mint).then(
      (answer) => live && setCandles(answer.candles),
      () => {},
    );
    app.watch(mint);
    const stop = app.onPrice((next) => {
      if (next.mint === mint) setTick(next);
    });
    return () => {
      live = false;
      stop();
      app.watch(null);
    };
  }, [mint, app.watch, app.onPrice]);

  const symbol = info?.symbol || report?.symbol || shortAddress(mint);
  const name = info?.name || report?.name || "Unknown token";
  const decimals = info?.decimals ?? report?.decimals ?? 0;
  const priceUsd = tick?.priceUsd ?? info?.priceUsd ?? null;
  const priceSol = tick?.priceSol ?? info?.priceSol ?? null;
  const myOrders = useMemo(
    () =>
      (app.orders ?? [])
        .filter((order) => order.mint === mint && order.status === "CONFIRMED")
        .map((order) => ({
          side: order.side,
          at: new Date(order.updatedAt).getTime(),
          id: order.id,
        })),
    [app.orders, mint],
  );
  const loaded = info !== null || report !== null;
  // No history yet (nobody watched it): start the chart at the current price.
  const shownCandles = useMemo(() => {
    if (candles.length > 0 || info?.priceUsd == null) return candles;
    const price = info.priceUsd;
    const minute = Math.floor(Date.now() / 60_000) * 60;
    return [{ time: minute, open: price, high: price, low: price, close: price }];
  }, [candles, info]);

  useEffect(() => {
    if (loaded) document.title = `${symbol} · Osprey`;
  }, [loaded, symbol]);

  return (
    <div class="token-page" data-mint={mint}>
      <header class="token-head card">
        <div>
          <h1>
            {name} <span class="symbol">{symbol}</span>{" "}
            {info ? (
              info.verified ? (
                <span class="badge verified" title="On the verified token list">
                  ✓ Verified
                </span>
              ) : (
                <span class="badge unverified" title="Not on a verified list: check the mint">
                  Unverified
                </span>
              )
            ) : null}
          </h1>
          <p class="mint muted">
            <span class="mono">{mint}</span> <CopyButton text={mint} label="Copy mint" />
          </p>
        </div>
        <dl class="kv stats">
          <dt>Price (USD)</dt>
          <dd data-price-usd data-live={tick ? "1" : undefined}>
            {formatUsd(priceUsd)}
          </dd>
          <dt>Price (SOL)</dt>
          <dd>{formatPrice(priceSol, "SOL")}</dd>
          <dt>Liquidity</dt>
          <dd>{formatUsd(info?.liquidityUsd ?? null)}</dd>
          <dt>Program</dt>
          <dd>{info?.tokenProgram ?? "—"}</dd>
        </dl>
      </header>
      {infoError && !report ? <ErrorNote error={infoError} /> : null}
      <div class="token-grid">
        <div class="token-main">
          <PriceChart
            candles={shownCandles}
            orders={myOrders}
            tick={tick}
            label={`Price chart of ${symbol} in USD`}
          />
          <SafetyPanel report={report} error={reportError} loading={!report && !reportError} />
          <TokenTriggers mint={mint} symbol={symbol} />
        </div>
        <div class="token-side">
          <BuyPanel mint={mint} symbol={symbol} decimals={decimals} report={report} />
          <SellPanel mint={mint} symbol={symbol} decimals={decimals} focus={props.focusSell} />
          <TokenAutomation mint={mint} symbol={symbol} report={report} priceUsd={priceUsd} />
        </div>
      </div>
    </div>
  );
}
