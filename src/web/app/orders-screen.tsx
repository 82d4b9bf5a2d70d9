import { useEffect } from "preact/hooks";
import type { Order, StatusEvent } from "./api.js";
import { formatSol, formatTime, formatUnits, formatUsd, shortAddress } from "./format.js";
import { useApp } from "./state.js";
import { ListTable } from "./table.js";
import { useTokenInfo } from "./token-info.js";
import { Screen, StatusBadge } from "./ui.js";

export function explorerLink(
  explorerUrl: string | null | undefined,
  cluster: string | undefined,
  signature: string,
) {
  if (!explorerUrl) return null;
  const query =
    cluster && cluster !== "mainnet-beta" ? `?cluster=${encodeURIComponent(cluster)}` : "";
  return `${explorerUrl.replace(/\/$/, "")}/tx/${signature}${query}`;
}

/** A status event's detail as a short sentence: "reason: …, networkFeeLamports: 5000". */
export function describeDetail(detail: StatusEvent["detail"]): string {
  if (detail === null || detail === undefined) return "";
  if (typeof detail === "string") return detail;
  return Object.entries(detail)
    .filter(([, value]) => value !== null && typeof value !== "object")
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(", ");
}

/** The network fee the order paid: the order's own field, else its CONFIRMED (or FAILED) event. */
export function networkFeeOf(order: Order): string | null {
  if (typeof order.networkFeeLamports === "string") return order.networkFeeLamports;
  for (const event of order.events) {
    const detail = event.detail;
    if (detail && typeof detail === "object" && typeof detail.networkFeeLamports === "string")
      return detail.networkFeeLamports;
  }
  return order.feeLamports ?? null;
}

/**
 * What the order paid beyond the swap: the network fee (the priority fee is part of it, shown
 * beside), and a protected order's tip, each only when the order has it.
 */
export function OrderFees(props: { order: Order }) {
  const { order } = props;
  const network = networkFeeOf(order);
  const priority = order.priorityFeeLamports ?? null;
  const tip = order.tipLamports ?? null;
  return (
    <span
      class="fees"
      data-network-fee={network ?? undefined}
      data-priority-fee={priority ?? undefined}
      data-tip={tip ?? undefined}
      data-mev-protected={order.mevProtected ? "1" : undefined}
    >
      <span>{network === null ? "—" : `${formatSol(network, 9)} SOL`}</span>
      {priority !== null ? (
        <span class="fee-line muted small">incl. priority {formatSol(priority, 9)} SOL</span>
      ) : null}
      {tip !== null ? <span class="fee-line muted small">tip {formatSol(tip, 9)} SOL</span> : null}
      {order.mevProtected ? <span class="badge ok small">MEV protected</span> : null}
    </span>
  );
}

export function OrderRow(props: { order: Order; full?: boolean; highlight?: boolean }) {
  const app = useApp();
  const { order } = props;
  // Token amounts are in base units: the token's decimals (or the position's) turn them to tokens.
  const token = useTokenInfo(order.mint);
  const decimals =
    token?.decimals ??
    app.positions?.find((position) => position.mint === order.mint)?.decimals ??
    null;
  const symbol = token?.symbol ?? "";
  const tokenAmount = (amount: string | null) =>
    amount === null
      ? "—"
      : decimals === null
        ? `${amount} units`
        : `${formatUnits(amount, decimals)} ${symbol}`.trim();
  const spent =
    order.side === "buy" ? `${formatSol(order.amountIn)} SOL` : tokenAmount(order.amountIn);
  const got =
    order.amountOut === null
      ? "—"
      : order.side === "buy"
        ? tokenAmount(order.amountOut)
        : `${formatSol(order.amountOut)} SOL`;
  const link = order.signature
    ? explorerLink(app.meta?.explorerUrl, app.meta?.cluster, order.signature)
    : null;
  return (
    <tr
      data-order-id={order.id}
      data-status={order.status}
      class={props.highlight ? "order-row highlight" : "order-row"}
      aria-current={props.highlight ? "true" : undefined}
    >
      <td>
        <span class={`side side-${order.side}`}>{order.side === "buy" ? "Buy" : "Sell"}</span>
      </td>
      <td>
        <a href={`#/token/${order.mint}`}>{token?.symbol ?? shortAddress(order.mint)}</a>
      </td>
      <td>
        <StatusBadge status={order.status} />
      </td>
      <td class="num">{spent}</td>
      <td class="num">{got}</td>
      {props.full ? (
        <>
          <td class="num">
            {order.commissionLamports === null
              ? "—"
              : `${formatSol(order.commissionLamports, 6)} SOL`}
            {order.commissionUsd ? (
              <span class="muted"> ({formatUsd(order.commissionUsd)})</span>
            ) : null}
          </td>
          <td class="num">
            <OrderFees order={order} />
          </td>
          <td>{formatTime(order.createdAt)}</td>
          <td>
            <details>
              <summary>Timeline</summary>
              <ol class="timeline">
                {order.events.map((event, index) => (
                  <li key={`${event.status}-${index}`}>
                    <StatusBadge status={event.status} /> {formatTime(event.at)}
                    {describeDetail(event.detail) ? (
                      <span class="muted"> — {describeDetail(event.detail)}</span>
                    ) : null}
                  </li>
                ))}
              </ol>
              {order.error ? <p class="error-text">{order.error}</p> : null}
            </details>
          </td>
          <td>
            {link ? (
              <a href={link} target="_blank" rel="noreferrer noopener">
                Explorer
                <span class="sr-only"> (transaction {shortAddress(order.signature ?? "")})</span>
              </a>
            ) : order.signature ? (
              <span class="mono" title={order.signature}>
                {shortAddress(order.signature)}
              </span>
            ) : (
              "—"
            )}
          </td>
        </>
      ) : null}
    </tr>
  );
}

const ORDER_COLUMNS = [
  "Side",
  "Token",
  "Status",
  "In",
  "Out",
  "Commission",
  "Fees",
  "Placed",
  "History",
  "Transaction",
];

/** The orders; `highlight` (from `#/orders/<id>`, a standing order's link) is marked and shown. */
export function OrdersScreen(props: { highlight?: string | null }) {
  const app = useApp();
  const orders = app.orders;
  const { highlight } = props;
  const loaded = orders !== null;
  useEffect(() => {
    if (!highlight || !loaded) return;
    document
      .querySelector(`tr[data-order-id="${CSS.escape(highlight)}"]`)
      ?.scrollIntoView({ block: "center" });
  }, [highlight, loaded]);
  return (
    <Screen id="orders" title="Orders">
      <ListTable
        rows={orders}
        loading="Loading orders…"
        empty="No orders yet. Find a token with the search above and buy it."
        columns={ORDER_COLUMNS}
        describedBy="orders-note"
      >
        {(order) => (
          <OrderRow key={order.id} order={order} full highlight={order.id === highlight} />
        )}
      </ListTable>
      <p id="orders-note" class="muted small">
        Statuses update live.{" "}
        {app.meta?.explorerUrl
          ? ""
          : "No explorer on this cluster, so transactions are not linked."}
      </p>
    </Screen>
  );
}
