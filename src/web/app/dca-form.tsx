import { useState } from "preact/hooks";
import { useBuyTrigger } from "./buy-trigger-forms.js";
import { ActionForm, DecimalField } from "./form.js";
import { parseSol } from "./format.js";
import type { BuyTriggerContext } from "./token-triggers.js";
import { invalidInput, parsePriceUsd, RefusalNote } from "./trigger-input.js";
import { Field, useAction } from "./ui.js";

const UNITS = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 } as const;
type Unit = keyof typeof UNITS;

/** Buy X SOL every interval, N times, optionally only inside a price band. */
export function DcaForm(props: { context: BuyTriggerContext }) {
  const { context } = props;
  const [amountText, setAmountText] = useState("");
  const [everyText, setEveryText] = useState("1");
  const [unit, setUnit] = useState<Unit>("hours");
  const [countText, setCountText] = useState("5");
  const [minText, setMinText] = useState("");
  const [maxText, setMaxText] = useState("");
  const amount = parseSol(amountText);
  const every = Number(everyText);
  const count = Number(countText);
  const min = minText.trim() ? parsePriceUsd(minText) : null;
  const max = maxText.trim() ? parsePriceUsd(maxText) : null;
  const { arm, riskBox } = useBuyTrigger(context, "DCA");
  const action = useAction(async () => {
    if (!amount) throw invalidInput("Type an amount of SOL per buy above zero");
    if (!(every > 0)) throw invalidInput("Type an interval above zero");
    if (!Number.isInteger(count) || count < 2 || count > 100)
      throw invalidInput("The number of buys is a whole number from 2 to 100");
    if (min === undefined || max === undefined)
      throw invalidInput("Band prices are USD above zero");
    await arm({
      type: "dca",
      amountLamports: amount.toString(),
      intervalSeconds: Math.round(every * UNITS[unit]),
      count,
      ...(min ? { priceMinUsd: min } : {}),
      ...(max ? { priceMaxUsd: max } : {}),
    });
    setAmountText("");
  });
  return (
    <ActionForm
      action={action}
      busyLabel="Arming…"
      submit="Start DCA"
      buttonClass="primary wide"
      errorId="dca-error"
      disabled={context.reasons.length > 0}
      describedBy={context.reasons.length ? "dca-refusal" : undefined}
    >
      <DecimalField
        label="SOL per buy"
        id="dca-amount"
        value={amountText}
        invalid={amountText !== "" && !amount}
        onValue={setAmountText}
      />
      <div class="row">
        <DecimalField
          label="Every"
          id="dca-every"
          value={everyText}
          invalid={!(every > 0)}
          onValue={setEveryText}
        />
        <Field label="Unit">
          <select
            id="dca-unit"
            value={unit}
            onChange={(event) => setUnit(event.currentTarget.value as Unit)}
          >
            {Object.keys(UNITS).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </Field>
        <DecimalField
          label="Buys"
          id="dca-count"
          value={countText}
          hint="2 to 100"
          onValue={setCountText}
        />
      </div>
      <div class="row">
        <DecimalField
          label="Only above (USD, optional)"
          id="dca-min"
          value={minText}
          invalid={min === undefined}
          onValue={setMinText}
        />
        <DecimalField
          label="Only below (USD, optional)"
          id="dca-max"
          value={maxText}
          invalid={max === undefined}
          onValue={setMaxText}
        />
      </div>
      {riskBox(action.error)}
      <RefusalNote id="dca-refusal" reasons={context.reasons} />
    </ActionForm>
  );
}
