import { useState } from "preact/hooks";
import { LIVE_STATUSES } from "./automation-api.js";
import { AUTOMATION_OFF } from "./grant-panel.js";
import { useApp } from "./state.js";
import { TriggerTable } from "./trigger-table.js";
import { Field, Screen } from "./ui.js";

type Show = "all" | "live" | "done";

/** Every standing order of the user: what fires it, its status and why, and the orders it placed. */
export function TriggersScreen() {
  const app = useApp();
  const [show, setShow] = useState<Show>("all");
  const triggers =
    app.triggers?.filter((trigger) =>
      show === "all" ? true : LIVE_STATUSES.has(trigger.status) === (show === "live"),
    ) ?? null;
  return (
    <Screen id="triggers" title="Standing orders">
      {app.meta?.automation === false ? (
        <p class="muted" role="note" data-automation="off">
          {AUTOMATION_OFF}
        </p>
      ) : null}
      <p class="muted small" id="triggers-note">
        Set take-profit, stop-loss and trailing stops from a row of{" "}
        <a href="#/positions">Positions</a>, limit buys and DCA from a token's page. They trade only
        for a wallet with an automation grant (<a href="#/wallets">Wallets</a>), within its limits.
        Updates arrive live.
      </p>
      <div class="row filters">
        <Field label="Show">
          <select
            id="triggers-show"
            value={show}
            onChange={(event) => setShow(event.currentTarget.value as Show)}
          >
            <option value="all">All</option>
            <option value="live">Active (armed, paused, firing)</option>
            <option value="done">Finished</option>
          </select>
        </Field>
      </div>
      <TriggerTable
        triggers={triggers}
        empty={show === "all" ? "No standing orders yet." : "None to show."}
      />
    </Screen>
  );
}
