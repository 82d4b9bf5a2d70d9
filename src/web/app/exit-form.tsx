import { useState } from "preact/hooks";
import type { Position } from "./api.js";
import { automationApi, type Trigger, type TriggerType } from "./automation-api.js";
import { ActionForm, DecimalField } from "./form.js";
import { formatUsd } from "./format.js";
import { useApp } from "./state.js";
import {
  invalidInput,
  parsePercent,
  parsePriceUsd,
  RefusalNote,
  refusalsFor,
} from "./trigger-input.js";
import { useAction } from "./ui.js";
import { useWalletAutomation } from "./wallet-automation.js";

type Mode = "price" | "percent";

/** The body of one take-profit or stop-loss from what was typed (the threshold already parsed). */
function exitBody(
  position: Position,
  type: "take_profit" | "stop_loss",
  mode: Mode,
  threshold: string | number,
  sellPercent: number,
) {
  return {
    type,
    walletId: position.walletId,
    mint: position.mint,
    percent: sellPercent,
    // Relative thresholds are positive both ways: TP this much above cost, SL this much below.
    ...(mode === "price" ? { priceUsd: threshold } : { changePercent: threshold }),
  };
}

/** Take-profit and stop-loss on one holding: either or both, optionally linked (one cancels the other). */
export function ExitForm(props: { position: Position; symbol: string; onDone(): void }) {
  const app = useApp();
  const { position } = props;
  const { automation } = useWalletAutomation(position.walletId);
  const [mode, setMode] = useState<Mode>("price");
  const [tpText, setTpText] = useState("");
  const [slText, setSlText] = useState("");
  const [sellText, setSellText] = useState("100");
  const [linked, setLinked] = useState(true);
  const parse = (text: string, max: number) =>
    text.trim() === ""
      ? null
      : mode === "price"
        ? parsePriceUsd(text)
        : parsePercent(text, 0.1, max);
  const tp = parse(tpText, 1000);
  const sl = parse(slText, 99.9);
  const sell = parsePercent(sellText, 0.01, 100);
  const wanted: TriggerType[] = [];
  if (tpText.trim()) wanted.push("take_profit");
  if (slText.trim()) wanted.push("stop_loss");
  const reasons = refusalsFor(automation, wanted.length ? wanted : ["take_profit", "stop_loss"]);
  const both = tp !== null && sl !== null;
  const action = useAction(async () => {
    if (tp === undefined || sl === undefined)
      throw invalidInput(
        mode === "price"
          ? "Type prices in USD above zero"
          : "Type a take-profit of 0.1 to 1000 % above cost and a stop-loss of 0.1 to 99.9 % below",
      );
    if (tp === null && sl === null) throw invalidInput("Type a take-profit, a stop-loss or both");
    if (sell === undefined) throw invalidInput("Sell 0.01 to 100 % of the holding");
    const made: Trigger[] = [];
    if (tp !== null)
      made.push(
        await automationApi.createTrigger(exitBody(position, "take_profit", mode, tp, sell)),
      );
    if (sl !== null) {
      const body = exitBody(position, "stop_loss", mode, sl, sell);
      const first = made[0];
      const linkedTo = both && linked && first ? { linkedTo: first.id } : {};
      // The take-profit stands even when the stop-loss is refused: the error says which.
      made.push(await automationApi.createTrigger({ ...body, ...linkedTo }));
    }
    for (const trigger of made) app.upsertTrigger(trigger);
    // The first of a linked pair changed when the second named it: read both as they are now.
    if (made.length === 2) void app.reloadTriggers();
    app.announce(
      `${made.length === 2 ? "Take-profit and stop-loss" : made[0]?.type === "stop_loss" ? "Stop-loss" : "Take-profit"} armed for ${props.symbol}.`,
    );
    props.onDone();
  });
  const unit = mode === "price" ? "USD" : "%";
  return (
    <ActionForm
      action={action}
      busyLabel="Arming…"
      submit={
        both ? "Set take-profit and stop-loss" : sl !== null ? "Set stop-loss" : "Set take-profit"
      }
      buttonClass="primary"
      errorId="exit-error"
      disabled={reasons.length > 0}
      describedBy={reasons.length ? "exit-refusal" : undefined}
    >
      <fieldset class="choices">
        <legend>Threshold as</legend>
        <label class="check-field">
          <input
            type="radio"
            name="exit-mode"
            checked={mode === "price"}
            onChange={() => setMode("price")}
          />
          Price in USD
        </label>
        <label class="check-field">
          <input
            type="radio"
            name="exit-mode"
            checked={mode === "percent"}
            disabled={position.avgCostUsd === null}
            onChange={() => setMode("percent")}
          />
          % from the average cost ({formatUsd(position.avgCostUsd)})
        </label>
      </fieldset>
      <div class="row">
        <DecimalField
          label={mode === "price" ? "Take-profit at (USD)" : "Take-profit (% above cost)"}
          id="tp-threshold"
          value={tpText}
          invalid={tp === undefined}
          onValue={setTpText}
        />
        <DecimalField
          label={mode === "price" ? "Stop-loss at (USD)" : "Stop-loss (% below cost)"}
          id="sl-threshold"
          value={slText}
          invalid={sl === undefined}
          onValue={setSlText}
        />
      </div>
      <DecimalField
        label="Sell (% of the holding when it fires)"
        id="exit-sell-percent"
        value={sellText}
        invalid={sell === undefined}
        onValue={setSellText}
      />
      <label class="check-field">
        <input
          type="checkbox"
          id="exit-linked"
          checked={linked}
          disabled={!both}
          onChange={(event) => setLinked(event.currentTarget.checked)}
        />
        Link them: when one fires, the other is cancelled
      </label>
      <p class="muted small">Thresholds in {unit}; leave one empty to set only the other.</p>
      <RefusalNote id="exit-refusal" reasons={reasons} />
    </ActionForm>
  );
}
