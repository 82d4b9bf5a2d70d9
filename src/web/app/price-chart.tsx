import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "preact/hooks";
import type { Candle, Order } from "./api.js";
import type { PriceTick } from "./live-events.js";

export interface ChartMarkerOrder {
  side: Order["side"];
  at: number;
  id: string;
}

/** Candles (USD, 1 minute) with the user's own buys and sells marked; live ticks move the last. */
export function PriceChart(props: {
  candles: Candle[];
  orders: ChartMarkerOrder[];
  tick: PriceTick | null;
  label: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const markers = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const last = useRef<Candle | null>(null);
  const times = useRef<number[]>([]);

  useEffect(() => {
    if (!host.current) return;
    const made = createChart(host.current, {
      autoSize: true,
      layout: {
        background: { color: "#11151c" },
        textColor: "#c9d1d9",
        // Its logo injects an inline <style>, which the page's CSP refuses; the caption below
        // carries the attribution and link that the library's licence (NOTICE) asks for.
        attributionLogo: false,
        fontFamily: "system-ui, sans-serif",
      },
      grid: { vertLines: { color: "#1e2530" }, horzLines: { color: "#1e2530" } },
      timeScale: { timeVisible: true, secondsVisible: false },
      rightPriceScale: { borderColor: "#2a3340" },
    });
    const candleSeries = made.addSeries(CandlestickSeries, {
      upColor: "#2fbf71",
      downColor: "#f0616d",
      wickUpColor: "#2fbf71",
      wickDownColor: "#f0616d",
      borderVisible: false,
      priceFormat: { type: "price", precision: 8, minMove: 0.00000001 },
    });
    chart.current = made;
    series.current = candleSeries;
    markers.current = createSeriesMarkers(candleSeries, []);
    return () => {
      made.remove();
      chart.current = null;
      series.current = null;
      markers.current = null;
    };
  }, []);

  useEffect(() => {
    const data = props.candles
      .slice()
      .sort((a, b) => a.time - b.time)
      .map((candle) => ({ ...candle, time: candle.time as UTCTimestamp }));
    series.current?.setData(data);
    last.current = props.candles.length ? (props.candles[props.candles.length - 1] ?? null) : null;
    times.current = data.map((candle) => candle.time);
    chart.current?.timeScale().fitContent();
  }, [props.candles]);

  useEffect(() => {
    const tick = props.tick;
    if (!tick || tick.priceUsd === null || !series.current) return;
    const seconds =
      typeof tick.time === "number" ? tick.time : Math.floor(new Date(tick.time).getTime() / 1000);
    const minute = Math.floor((seconds > 1e12 ? seconds / 1000 : seconds) / 60) * 60;
    const previous = last.current;
    const price = tick.priceUsd;
    const next: Candle =
      previous && previous.time === minute
        ? {
            ...previous,
            high: Math.max(previous.high, price),
            low: Math.min(previous.low, price),
            close: price,
          }
        : { time: minute, open: previous?.close ?? price, high: price, low: price, close: price };
    if (previous && minute < previous.time) return;
    series.current.update({ ...next, time: next.time as UTCTimestamp });
    last.current = next;
    if (times.current[times.current.length - 1] !== minute) times.current.push(minute);
  }, [props.tick]);

  useEffect(() => {
    if (!markers.current) return;
    const list: SeriesMarker<Time>[] = [];
    for (const order of props.orders.slice().sort((a, b) => a.at - b.at)) {
      // Snap to the candle of that minute (or the last before it); markers need a bar.
      const minute = Math.floor(order.at / 60_000) * 60;
      const bar = [...times.current].reverse().find((time) => time <= minute) ?? times.current[0];
      if (bar === undefined) continue;
      list.push(
        order.side === "buy"
          ? {
              time: bar as UTCTimestamp,
              position: "belowBar",
              shape: "arrowUp",
              color: "#2fbf71",
              text: "Buy",
            }
          : {
              time: bar as UTCTimestamp,
              position: "aboveBar",
              shape: "arrowDown",
              color: "#f0616d",
              text: "Sell",
            },
      );
    }
    list.sort((a, b) => Number(a.time) - Number(b.time));
    markers.current.setMarkers(list);
  }, [props.orders, props.candles, props.tick]);

  return (
    <figure class="chart" aria-label={props.label}>
      <div class="chart-host" ref={host} />
      <figcaption class="muted small">
        Price in USD, 1-minute candles; ▲ your buys, ▼ your sells.{" "}
        {props.candles.length === 0
          ? "No price history yet: it starts when someone views or holds the token. "
          : ""}
        Charting by{" "}
        <a href="https://www.tradingview.com/" rel="noreferrer noopener" target="_blank">
          TradingView
        </a>{" "}
        (Lightweight Charts™).
      </figcaption>
    </figure>
  );
}
