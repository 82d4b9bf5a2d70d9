import { useState } from "preact/hooks";
import type { Position } from "./api.js";
import { automationApi, LIVE_STATUSES } from "./automation-api.js";
import { ExitForm } from "./exit-form.js";
import { ActionForm, DecimalField } from "./form.js";
import { useApp } from "./state.js";
import { invalidInput, parsePercent, RefusalNote, refusalsFor } from "./trigger-input.js";
import { Dialog, useAction } from "./ui.js";
import { useWalletAutomation } from "./wallet-automation.js";

/** A trailing stop: sell when the price falls `trail` % below its highest since armed. */
function TrailingForm(props: { position: Position; symbol: string; onDone(): void }) {
  const app = useApp();
  const { position } = props;
  const { automation } = useWalletAutomation(position.walletId);
  const [trailText, setTrailText] = useState("10");
  const [sellText, setSellText] = useState("100");
  const trail = parsePercent(trailText, 0.1, 99);
  const sell = parsePercent(sellText, 0.01, 100);
  const reasons = refusalsFor(automation, ["trailing_stop"]);
  const action = useAction(async () => {
    if (trail === undefined) throw invalidInput("The trail is 0.1 to 99 % below the high");
    if (sell === undefined) throw invalidInput("Sell 0.01 to 100 % of the holding");
    const trigger = await automationApi.createTrigger({
      type: "trailing_stop",
      walletId: position.walletId,
      mint: position.mint,
      trailPercent: trail,
      percent: sell,
    });
    app.upsertTrigger(trigger);
    app.announce(`Trailing stop armed for ${props.symbol}.`);
    props.onDone();
  });
  return (
    <ActionForm
      action={action}
      busyLabel="Arming…"
      submit="Set trailing stop"
      buttonClass="primary"
      errorId="trailing-error"
      disabled={reasons.length > 0}
      describedBy={reasons.length ? "trailing-refusal" : undefined}
    >
      <DecimalField
        label="Trail (% below the highest price since armed)"
        id="trail-percent"
        value={trailText}
        invalid={trail === undefined}
        onValue={setTrailText}
      />
      <DecimalField
        label="Sell (% of the holding when it fires)"
        id="trail-sell-percent"
        value={sellText}
        invalid={sell === undefined}
        onValue={setSellText}
      />
      <RefusalNote id="trailing-refusal" reasons={reasons} />
    </ActionForm>
  );
}

/**
 * In a position row: how many standing orders watch this holding, and a button to set a
 * take-profit / stop-loss or a trailing stop on it.
 */
export function PositionAutomation(props: { position: Position; symbol: string }) {
  const app = useApp();
  const { position, symbol } = props;
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<"exit" | "trailing">("exit");
  const live = (app.triggers ?? []).filter(
    (trigger) =>
      trigger.walletId === position.walletId &&
      trigger.mint === position.mint &&
      LIVE_STATUSES.has(trigger.status),
  ).length;
  const close = () => setOpen(false);
  return (
    <>
      <button
        type="button"
        class="small"
        onClick={() => {
          // Each opening starts on the take-profit / stop-loss form.
          setKind("exit");
          setOpen(true);
        }}
      >
        Automate<span class="sr-only"> {symbol}</span>
      </button>
      {live > 0 ? (
        <a class="small standing" href="#/triggers" data-standing={live}>
          {live} standing
          <span class="sr-only">
            {" "}
            order{live === 1 ? "" : "s"} on {symbol}
          </span>
        </a>
      ) : null}
      {open ? (
        <Dialog title={`Standing orders on ${symbol}`} open onClose={close}>
          <fieldset class="tabs">
            <legend class="sr-only">Kind of order</legend>
            <button type="button" aria-pressed={kind === "exit"} onClick={() => setKind("exit")}>
              Take-profit / stop-loss
            </button>
            <button
              type="button"
              aria-pressed={kind === "trailing"}
              onClick={() => setKind("trailing")}
            >
              Trailing stop
            </button>
          </fieldset>
          {kind === "exit" ? (
            <ExitForm position={position} symbol={symbol} onDone={close} />
          ) : (
            <TrailingForm position={position} symbol={symbol} onDone={close} />
          )}
        </Dialog>
      ) : null}
    </>
  );
}
