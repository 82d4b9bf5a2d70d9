import { useState } from "preact/hooks";
import { ApiError } from "./api.js";
import { automationApi } from "./automation-api.js";
import { ActionForm, DecimalField } from "./form.js";
import { formatUsd, parseSol } from "./format.js";
import { useApp } from "./state.js";
import type { BuyTriggerContext } from "./token-triggers.js";
import { invalidInput, parsePriceUsd, RefusalNote } from "./trigger-input.js";
import { useAction } from "./ui.js";

/** Arms a buy trigger; when the safety report warns, a box to accept the risk goes with it. */
export function useBuyTrigger(context: BuyTriggerContext, what: string) {
  const app = useApp();
  const [acceptRisk, setAcceptRisk] = useState(false);
  const arm = async (body: Record<string, unknown>) => {
    const trigger = await automationApi.createTrigger({
      walletId: context.walletId,
      mint: context.mint,
      ...body,
      ...(acceptRisk ? { acceptRisk: true } : {}),
    });
    app.upsertTrigger(trigger);
    app.announce(`${what} of ${context.symbol} armed.`);
  };
  /** The box, shown when the report warns or the server answered RISK_NOT_ACCEPTED. */
  const riskBox = (error: unknown) =>
    context.report?.verdict === "warn" ||
    (error instanceof ApiError && error.code === "RISK_NOT_ACCEPTED") ? (
      <label class="check-field">
        <input
          type="checkbox"
          checked={acceptRisk}
          onChange={(event) => setAcceptRisk(event.currentTarget.checked)}
        />
        I read the safety warnings and accept the risk of buying {context.symbol}
      </label>
    ) : null;
  return { arm, riskBox };
}

/** Spend X SOL when the price is at or below P. */
export function LimitBuyForm(props: { context: BuyTriggerContext; priceUsd: number | null }) {
  const { context } = props;
  const [amountText, setAmountText] = useState("");
  const [priceText, setPriceText] = useState("");
  const amount = parseSol(amountText);
  const price = parsePriceUsd(priceText);
  const { arm, riskBox } = useBuyTrigger(context, "Limit buy");
  const action = useAction(async () => {
    if (!amount) throw invalidInput("Type an amount of SOL above zero");
    if (!price) throw invalidInput("Type a price in USD above zero");
    await arm({ type: "limit_buy", amountLamports: amount.toString(), priceUsd: price });
    setAmountText("");
    setPriceText("");
  });
  return (
    <ActionForm
      action={action}
      busyLabel="Arming…"
      submit="Place limit buy"
      buttonClass="primary wide"
      errorId="limit-error"
      disabled={context.reasons.length > 0}
      describedBy={context.reasons.length ? "limit-refusal" : undefined}
    >
      <DecimalField
        label="Amount (SOL)"
        id="limit-amount"
        value={amountText}
        invalid={amountText !== "" && !amount}
        onValue={setAmountText}
      />
      <DecimalField
        label="Buy at or below (USD)"
        hint={props.priceUsd === null ? undefined : `Now ${formatUsd(props.priceUsd)}`}
        id="limit-price"
        value={priceText}
        invalid={priceText !== "" && !price}
        onValue={setPriceText}
      />
      {riskBox(action.error)}
      <RefusalNote id="limit-refusal" reasons={context.reasons} />
    </ActionForm>
  );
}
