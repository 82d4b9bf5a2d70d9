import { useState } from "preact/hooks";
import type { Wallet } from "./api.js";
import {
  automationApi,
  type Grant,
  TRIGGER_TYPE_LABELS,
  TRIGGER_TYPES,
  timeOf,
} from "./automation-api.js";
import { formatSol, formatTime } from "./format.js";
import { GrantDialog } from "./grant-dialog.js";
import { useApp } from "./state.js";
import { ActionButton, Dialog, ErrorNote, useAction } from "./ui.js";
import { useWalletAutomation } from "./wallet-automation.js";

export const AUTOMATION_OFF =
  "Automation is off on this server: the operator has not set AUTOMATION_KEY, so no wallet can be granted standing orders.";

function GrantLimits(props: { grant: Grant }) {
  const { grant } = props;
  const expired = timeOf(grant.expiresAt) <= Date.now();
  // In the terminal's order, whatever order the server keeps them in.
  const types = TRIGGER_TYPES.filter((type) => grant.orderTypes.includes(type));
  return (
    <dl class="kv grant-limits" data-grant-id={grant.id}>
      <dt>Max per order</dt>
      <dd data-limit="order" data-lamports={grant.maxOrderLamports}>
        {formatSol(grant.maxOrderLamports, 9)} SOL
      </dd>
      <dt>Max per day</dt>
      <dd data-limit="daily" data-lamports={grant.maxDailyLamports}>
        {formatSol(grant.maxDailyLamports, 9)} SOL
      </dd>
      <dt>Spent (last 24 h)</dt>
      <dd data-limit="spent" data-lamports={grant.spentTodayLamports}>
        {formatSol(grant.spentTodayLamports, 9)} SOL
      </dd>
      <dt>Order types</dt>
      <dd data-limit="types" data-types={types.join(",")}>
        {types.map((type) => TRIGGER_TYPE_LABELS[type]).join(", ")}
      </dd>
      <dt>{expired ? "Expired" : "Expires"}</dt>
      <dd data-limit="expires">{formatTime(grant.expiresAt)}</dd>
    </dl>
  );
}

function RevokeDialog(props: { wallet: Wallet; open: boolean; onClose(): void }) {
  const app = useApp();
  const { wallet } = props;
  const revoke = useAction(async () => {
    await automationApi.revoke(wallet.id);
    app.setAutomation(wallet.id, { enabled: true, grant: null });
    // Its armed orders are paused now: the list shows why.
    void app.reloadTriggers();
    app.announce(`Automation revoked for ${wallet.label}. Its standing orders are paused.`);
    props.onClose();
  });
  return (
    <Dialog
      title={`Revoke automation for ${wallet.label}?`}
      open={props.open}
      onClose={props.onClose}
    >
      <p>
        The copy of the key kept for automation is destroyed. Armed standing orders of this wallet
        are paused (not cancelled) until you grant automation again.
      </p>
      <ErrorNote error={revoke.error} />
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          Keep the grant
        </button>
        <ActionButton action={revoke} busyLabel="Revoking…" class="danger">
          Revoke grant
        </ActionButton>
      </div>
    </Dialog>
  );
}

/** On a wallet card: whether automation can sign for this wallet, within which limits. */
export function GrantPanel(props: { wallet: Wallet }) {
  const app = useApp();
  const { wallet } = props;
  const { automation, error } = useWalletAutomation(wallet.id, true);
  const [dialog, setDialog] = useState<"grant" | "revoke" | null>(null);
  const titleId = `automation-${wallet.id}`;
  const off = app.meta?.automation === false || automation?.enabled === false;
  const grant = automation?.grant?.status === "ACTIVE" ? automation.grant : null;
  return (
    <section
      class="automation"
      aria-labelledby={titleId}
      data-automation={off ? "off" : grant ? "granted" : automation ? "none" : "loading"}
    >
      <h3 id={titleId}>Automation</h3>
      {off ? (
        <p class="muted" role="note">
          {AUTOMATION_OFF}
        </p>
      ) : !automation ? (
        error ? (
          <ErrorNote error={error} />
        ) : (
          <p class="muted">Reading the grant…</p>
        )
      ) : (
        <>
          {grant ? (
            <GrantLimits grant={grant} />
          ) : (
            <p class="muted">
              No grant: standing orders (take-profit, stop-loss, limit, DCA) cannot trade for this
              wallet while you are away.
            </p>
          )}
          <div class="actions">
            <button type="button" onClick={() => setDialog("grant")}>
              {grant ? "Change limits" : "Grant automation"}
            </button>
            {grant ? (
              <button type="button" class="danger" onClick={() => setDialog("revoke")}>
                Revoke
              </button>
            ) : null}
          </div>
          {dialog === "grant" ? (
            // Mounted when opened: the form starts from the grant as it is now.
            <GrantDialog wallet={wallet} current={grant} open onClose={() => setDialog(null)} />
          ) : null}
          <RevokeDialog
            wallet={wallet}
            open={dialog === "revoke"}
            onClose={() => setDialog(null)}
          />
        </>
      )}
    </section>
  );
}
