import { useState } from "preact/hooks";
import { ApiError, type Wallet } from "./api.js";
import {
  automationApi,
  type Grant,
  TRIGGER_TYPE_LABELS,
  TRIGGER_TYPES,
  type TriggerType,
} from "./automation-api.js";
import { ActionForm, DecimalField, PasswordField } from "./form.js";
import { formatSol, parseSol } from "./format.js";
import { useApp } from "./state.js";
import { Dialog, useAction } from "./ui.js";

const DAY_MS = 86_400_000;
/** The server's bound: a grant lasts at most 30 days. */
export const MAX_GRANT_DAYS = 30;

const solText = (lamports: string | undefined, fallback: string) =>
  lamports ? formatSol(lamports, 9).replace(/,/g, "") : fallback;

/** Whole days from 1 to 30; undefined otherwise. */
export function parseGrantDays(text: string): number | undefined {
  const days = Number(text.trim());
  return Number.isInteger(days) && days >= 1 && days <= MAX_GRANT_DAYS ? days : undefined;
}

/** The grant form: the wallet password again, the limits in SOL, the order types and the expiry. */
export function GrantDialog(props: {
  wallet: Wallet;
  current: Grant | null;
  open: boolean;
  onClose(): void;
}) {
  const app = useApp();
  const { wallet, current } = props;
  const [password, setPassword] = useState("");
  const [maxOrder, setMaxOrder] = useState(() => solText(current?.maxOrderLamports, "0.5"));
  const [maxDaily, setMaxDaily] = useState(() => solText(current?.maxDailyLamports, "2"));
  const [types, setTypes] = useState<TriggerType[]>(() =>
    current ? current.orderTypes : [...TRIGGER_TYPES],
  );
  const [daysText, setDaysText] = useState("7");
  const order = parseSol(maxOrder);
  const daily = parseSol(maxDaily);
  const days = parseGrantDays(daysText);
  const action = useAction(async () => {
    if (!order || !daily)
      throw new ApiError("INVALID_INPUT", "Type both limits in SOL, above zero", 400);
    if (order > daily)
      throw new ApiError("INVALID_INPUT", "The limit per order cannot exceed the daily limit", 400);
    if (types.length === 0)
      throw new ApiError("INVALID_INPUT", "Choose at least one order type", 400);
    if (!days) throw new ApiError("INVALID_INPUT", "The grant lasts 1 to 30 whole days", 400);
    const grant = await automationApi.grant(wallet.id, {
      password,
      maxOrderLamports: order.toString(),
      maxDailyLamports: daily.toString(),
      // In TRIGGER_TYPES order, whatever order they were ticked in.
      orderTypes: TRIGGER_TYPES.filter((type) => types.includes(type)),
      expiresAt: new Date(Date.now() + days * DAY_MS).toISOString(),
    });
    setPassword("");
    app.setAutomation(wallet.id, { enabled: true, grant });
    // A new grant resumes the wallet's paused orders it allows.
    void app.reloadTriggers();
    app.announce(`Automation granted for ${wallet.label}.`);
    props.onClose();
  });
  const toggle = (type: TriggerType, on: boolean) =>
    setTypes((old) =>
      on ? [...old.filter((item) => item !== type), type] : old.filter((item) => item !== type),
    );
  return (
    <Dialog
      title={`${current ? "Change the automation grant of" : "Grant automation to"} ${wallet.label}`}
      open={props.open}
      onClose={props.onClose}
    >
      <p class="muted small">
        Standing orders sign with a copy of this wallet's key encrypted under the operator's
        automation key. It signs swaps only (no export, no withdrawal), within these limits, and is
        destroyed when you revoke or the grant expires.{" "}
        {current ? "This replaces the current grant." : ""}
      </p>
      <ActionForm
        action={action}
        busyLabel="Granting…"
        submit={current ? "Replace grant" : "Grant automation"}
        buttonClass="primary"
        errorId="grant-error"
      >
        <PasswordField
          label="Wallet password"
          id="grant-password"
          autocomplete="current-password"
          value={password}
          onValue={setPassword}
        />
        <div class="row">
          <DecimalField
            label="Max SOL per order"
            id="grant-max-order"
            required
            value={maxOrder}
            invalid={!order}
            onValue={setMaxOrder}
          />
          <DecimalField
            label="Max SOL per day"
            id="grant-max-daily"
            required
            value={maxDaily}
            invalid={!(daily && (!order || order <= daily))}
            onValue={setMaxDaily}
          />
        </div>
        <fieldset class="type-choices">
          <legend>Order types it may place</legend>
          {TRIGGER_TYPES.map((type) => (
            <label key={type} class="check-field">
              <input
                type="checkbox"
                name="grant-type"
                value={type}
                checked={types.includes(type)}
                onChange={(event) => toggle(type, event.currentTarget.checked)}
              />
              {TRIGGER_TYPE_LABELS[type]}
            </label>
          ))}
        </fieldset>
        <DecimalField
          label="Expires in (days)"
          hint="1 to 30 days."
          id="grant-days"
          required
          value={daysText}
          invalid={!days}
          onValue={setDaysText}
        />
      </ActionForm>
    </Dialog>
  );
}
