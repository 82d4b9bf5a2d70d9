import {
  automationApi,
  CANCELLABLE_STATUSES,
  TRIGGER_TYPE_LABELS,
  type Trigger,
  type TriggerOrder,
  timeOf,
} from "./automation-api.js";
import { formatTime, shortAddress } from "./format.js";
import { useApp } from "./state.js";
import { ListTable } from "./table.js";
import { useTokenInfo } from "./token-info.js";
import { describeCondition } from "./trigger-condition.js";
import { ActionButton, ErrorNote, StatusBadge, useAction } from "./ui.js";

const timeText = (value: string | number | null) => {
  const ms = timeOf(value);
  return Number.isNaN(ms) ? "—" : formatTime(new Date(ms).toISOString());
};

/** An order a firing produced: a link to it on the orders screen, with its live status. */
function FiringOrder(props: { order: TriggerOrder; of: string }) {
  const app = useApp();
  const { order } = props;
  // The order's own events keep the store current; the trigger's copy may be older.
  const live = order.orderId ? app.orders?.find((item) => item.id === order.orderId) : undefined;
  const status = live?.status ?? order.status;
  return (
    <li data-firing={order.firing} data-order-id={order.orderId ?? undefined} data-status={status}>
      {order.orderId ? (
        <a href={`#/orders/${order.orderId}`}>
          Order {order.firing}
          <span class="sr-only"> of the {props.of}</span>
        </a>
      ) : (
        <span>Firing {order.firing}</span>
      )}{" "}
      <StatusBadge status={status} />
      {order.reasonCode ? <code class="small"> {order.reasonCode}</code> : null}
    </li>
  );
}

function TriggerRow(props: { trigger: Trigger }) {
  const app = useApp();
  const { trigger } = props;
  const token = useTokenInfo(trigger.mint);
  const decimals =
    token?.decimals ?? app.positions?.find((item) => item.mint === trigger.mint)?.decimals ?? null;
  const symbol = token?.symbol ?? shortAddress(trigger.mint);
  const wallet = app.wallets?.find((item) => item.id === trigger.walletId);
  const label = TRIGGER_TYPE_LABELS[trigger.type] ?? trigger.type;
  // Either side of a link may be the older snapshot: a link named by either counts.
  const linked = (app.triggers ?? []).filter(
    (item) =>
      item.id !== trigger.id &&
      (trigger.linkedTriggerIds.includes(item.id) || item.linkedTriggerIds.includes(trigger.id)),
  );
  const cancel = useAction(async () => {
    app.upsertTrigger(await automationApi.cancelTrigger(trigger.id));
    app.announce(`${label} on ${symbol} cancelled.`);
  });
  return (
    <tr data-trigger-id={trigger.id} data-type={trigger.type} data-status={trigger.status}>
      <td>
        {label}
        {linked.length ? (
          <span class="muted small">
            {" "}
            linked with {linked.map((item) => TRIGGER_TYPE_LABELS[item.type]).join(", ")}
          </span>
        ) : null}
      </td>
      <td>
        <a href={`#/token/${trigger.mint}`}>{symbol}</a>
        {wallet ? <span class="muted small"> in {wallet.label}</span> : null}
      </td>
      <td>{describeCondition(trigger, decimals, symbol)}</td>
      <td data-reason-code={trigger.reasonCode ?? undefined}>
        <StatusBadge status={trigger.status} />
        {trigger.reasonCode && trigger.reasonCode !== trigger.status ? (
          <code class="small"> {trigger.reasonCode}</code>
        ) : null}
        {trigger.reason ? <span class="muted small reason">{trigger.reason}</span> : null}
      </td>
      <td class="num" data-firings={trigger.firingCount}>
        {trigger.firingCount}
        {trigger.type === "dca" && trigger.params.count ? ` of ${trigger.params.count}` : ""}
        {trigger.nextDueAt !== null && CANCELLABLE_STATUSES.has(trigger.status) ? (
          <span class="muted small reason">next {timeText(trigger.nextDueAt)}</span>
        ) : null}
      </td>
      <td>{timeText(trigger.expiresAt)}</td>
      <td>
        {trigger.orders.length ? (
          <ul class="firing-orders">
            {trigger.orders.map((order) => (
              <FiringOrder
                key={order.firing}
                order={order}
                of={`${label.toLowerCase()} on ${symbol}`}
              />
            ))}
          </ul>
        ) : (
          "—"
        )}
      </td>
      <td>
        {CANCELLABLE_STATUSES.has(trigger.status) ? (
          <ActionButton action={cancel} busyLabel="Cancelling…" class="small">
            Cancel
            <span class="sr-only">
              {" "}
              {label.toLowerCase()} on {symbol}
            </span>
          </ActionButton>
        ) : null}
        <ErrorNote error={cancel.error} />
      </td>
    </tr>
  );
}

const COLUMNS = ["Type", "Token", "Condition", "Status", "Firings", "Expires", "Orders", "Actions"];

/** Standing orders in a table, newest first (the store's order). */
export function TriggerTable(props: { triggers: Trigger[] | null; empty: string }) {
  return (
    <ListTable
      rows={props.triggers}
      loading="Loading standing orders…"
      empty={props.empty}
      columns={COLUMNS}
    >
      {(trigger) => <TriggerRow key={trigger.id} trigger={trigger} />}
    </ListTable>
  );
}
