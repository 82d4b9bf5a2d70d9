import type { Position } from "./api.js";
import { formatSol, formatUnits, formatUsd, pnlClass, shortAddress } from "./format.js";
import { PositionAutomation } from "./position-triggers.js";
import { useApp } from "./state.js";
import { ListTable } from "./table.js";
import { useTokenInfo } from "./token-info.js";
import { Screen } from "./ui.js";

function PositionRow(props: { position: Position }) {
  const app = useApp();
  const { position } = props;
  const token = useTokenInfo(position.mint);
  const name = token?.symbol ?? shortAddress(position.mint);
  const wallet = app.wallets?.find((item) => item.id === position.walletId);
  const decimals = position.decimals ?? token?.decimals ?? null;
  return (
    <tr data-position-mint={position.mint} data-amount={position.amount}>
      <td>
        <a href={`#/token/${position.mint}`}>{name}</a>
        {wallet ? <span class="muted small"> in {wallet.label}</span> : null}
      </td>
      <td class="num">
        {decimals === null ? `${position.amount} units` : formatUnits(position.amount, decimals)}
      </td>
      <td class="num">
        {position.avgCostLamports ? `${formatSol(position.avgCostLamports, 9)} SOL` : "—"}
        <br />
        <span class="muted">{formatUsd(position.avgCostUsd)}</span>
      </td>
      <td class="num">
        {position.valueLamports ? `${formatSol(position.valueLamports)} SOL` : "—"}
        <br />
        <span class="muted">{formatUsd(position.valueUsd)}</span>
      </td>
      <td class={`num ${pnlClass(position.unrealizedPnlLamports)}`} data-pnl="unrealized">
        {position.unrealizedPnlLamports === null
          ? "—"
          : `${formatSol(position.unrealizedPnlLamports, 6)} SOL`}
        <br />
        <span>{formatUsd(position.unrealizedPnlUsd)}</span>
      </td>
      <td class={`num ${pnlClass(position.realizedPnlLamports)}`} data-pnl="realized">
        {formatSol(position.realizedPnlLamports, 6)} SOL
        <br />
        <span>{formatUsd(position.realizedPnlUsd)}</span>
      </td>
      <td>
        <a class="button small" href={`#/token/${position.mint}`}>
          Trade<span class="sr-only"> {name}</span>
        </a>{" "}
        <a class="button small danger" href={`#/token/${position.mint}/sell`}>
          Sell<span class="sr-only"> {name}</span>
        </a>{" "}
        {position.amount !== "0" ? <PositionAutomation position={position} symbol={name} /> : null}
      </td>
    </tr>
  );
}

const POSITION_COLUMNS = [
  "Token",
  "Amount",
  "Average cost",
  "Value",
  "Unrealized P&L",
  "Realized P&L",
  "Actions",
];

export function PositionsScreen() {
  const app = useApp();
  const positions = app.positions?.filter(
    (position) => position.amount !== "0" || position.realizedPnlLamports !== "0",
  );
  return (
    <Screen id="positions" title="Positions">
      <ListTable
        rows={positions}
        loading="Loading positions…"
        empty="No positions yet."
        columns={POSITION_COLUMNS}
      >
        {(position) => (
          <PositionRow key={`${position.walletId}:${position.mint}`} position={position} />
        )}
      </ListTable>
      <p class="muted small">
        Values and P&amp;L use the current quote; they refresh after each fill.
      </p>
    </Screen>
  );
}
