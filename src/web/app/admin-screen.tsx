import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type AdminOverview, api } from "./api.js";
import { formatSol, formatTime, formatUsd } from "./format.js";
import { DataTable } from "./table.js";
import { ActionButton, ErrorNote, Screen, useAction } from "./ui.js";

/** The operator view: only shown to role admin, and the API refuses its data to anyone else. */
export function AdminScreen() {
  const [data, setData] = useState<AdminOverview | null>(null);
  const load = useAction(async () => setData(await api.adminOverview()));
  useEffect(() => {
    void load.run();
  }, []);
  return (
    <Screen id="admin" title="Operator" class="admin">
      <ActionButton action={load} busyLabel="Refreshing…" class="small">
        Refresh
      </ActionButton>
      <ErrorNote error={load.error} />
      {data ? (
        <div class="admin-grid">
          <section class="card" aria-labelledby="admin-status">
            <h2 id="admin-status">Orders by status</h2>
            {Object.keys(data.ordersByStatus).length === 0 ? (
              <p class="muted">No orders yet.</p>
            ) : null}
            <dl class="kv">
              {Object.entries(data.ordersByStatus).map(([status, count]) => (
                <Fragment key={status}>
                  <dt>{status}</dt>
                  <dd class="num" data-status-count={status}>
                    {count}
                  </dd>
                </Fragment>
              ))}
            </dl>
          </section>
          <section class="card" aria-labelledby="admin-rpc">
            <h2 id="admin-rpc">RPC endpoints</h2>
            <DataTable compact columns={["Endpoint", "Health", "Latency", "Last error"]}>
              {data.rpc.map((endpoint) => (
                <tr key={endpoint.url}>
                  <td class="mono">{endpoint.url}</td>
                  <td>
                    {endpoint.healthy ? (
                      <span class="badge ok">Healthy</span>
                    ) : (
                      <span class="badge bad">Down</span>
                    )}
                  </td>
                  <td class="num">
                    {endpoint.latencyMs === null ? "—" : `${endpoint.latencyMs} ms`}
                  </td>
                  <td>{typeof endpoint.lastError === "string" ? endpoint.lastError : "—"}</td>
                </tr>
              ))}
            </DataTable>
          </section>
          <section class="card wide-card" aria-labelledby="admin-daily">
            <h2 id="admin-daily">Volume and commission per day</h2>
            {data.daily.length === 0 ? <p class="muted">No orders in the last 30 days.</p> : null}
            <DataTable
              compact
              columns={["Day", "Orders", "Volume", "Commission", "Commission (USD)"]}
            >
              {data.daily.map((day) => (
                <tr key={day.day}>
                  <td>{day.day}</td>
                  <td class="num">{day.orders}</td>
                  <td class="num">{formatSol(day.volumeLamports)} SOL</td>
                  <td class="num">{formatSol(day.commissionLamports, 6)} SOL</td>
                  <td class="num">{formatUsd(day.commissionUsd)}</td>
                </tr>
              ))}
            </DataTable>
          </section>
          <section class="card wide-card" aria-labelledby="admin-users">
            <h2 id="admin-users">Users ({data.users.total})</h2>
            <DataTable compact columns={["User", "Role", "Wallets", "Orders", "Joined"]}>
              {data.users.list.map((user) => (
                <tr key={user.id}>
                  <td>{user.username}</td>
                  <td>{user.role}</td>
                  <td class="num">{user.wallets}</td>
                  <td class="num">{user.orders}</td>
                  <td>{formatTime(user.createdAt)}</td>
                </tr>
              ))}
            </DataTable>
          </section>
          <section class="card wide-card" aria-labelledby="admin-failures">
            <h2 id="admin-failures">Recent failures</h2>
            {data.recentFailures.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <DataTable compact columns={["When", "User", "Order", "Status", "Reason"]}>
                {data.recentFailures.map((failure) => (
                  <tr key={failure.orderId}>
                    <td>{formatTime(failure.at)}</td>
                    <td>{failure.username ?? failure.userId}</td>
                    <td class="mono">{failure.orderId}</td>
                    <td>{failure.status}</td>
                    <td>{failure.error ?? "—"}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
        </div>
      ) : null}
    </Screen>
  );
}
