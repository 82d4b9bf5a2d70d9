import { useEffect, useState } from "preact/hooks";
import { ApiError, api, type PriorityLevel, type Settings } from "./api.js";
import { ActionForm, TextField } from "./form.js";
import { formatSol, parseSol } from "./format.js";
import { PrioritySelect } from "./order-options.js";
import { useApp } from "./state.js";
import { TelegramPanel } from "./telegram-panel.js";
import { Field, Screen, useAction } from "./ui.js";

const solText = (lamports: string) => formatSol(lamports, 9).replace(/,/g, "");

/** The settings as the form shows them: presets separated by commas, slippage in %, fees in SOL. */
function textsOf(settings: Settings) {
  return {
    buy: settings.buyPresetsLamports.map(solText).join(", "),
    sell: settings.sellPresetsPercent.join(", "),
    slippage: String(settings.slippageBps / 100),
    maxFee: solText(settings.maxPriorityFeeLamports),
    tip: settings.tipLamports === null ? "" : solText(settings.tipLamports),
  };
}
type Texts = ReturnType<typeof textsOf>;
type TextName = keyof Texts;

/** Each text field, and the settings field(s) the server names in its problems. */
const FIELDS: readonly {
  name: TextName;
  server: string;
  label: string;
  hint: string;
  decimal?: boolean;
}[] = [
  {
    name: "buy",
    server: "buyPresetsLamports",
    label: "Buy presets (SOL)",
    hint: "One to six amounts, separated by commas, e.g. 0.1, 0.5, 1",
  },
  {
    name: "sell",
    server: "sellPresetsPercent",
    label: "Sell presets (%)",
    hint: "Shares of a holding, e.g. 25, 50, 100",
  },
  {
    name: "slippage",
    server: "slippageBps",
    label: "Default slippage (%)",
    hint: "0.01 to 50",
    decimal: true,
  },
  {
    name: "maxFee",
    server: "maxPriorityFeeLamports",
    label: "Max priority fee (SOL)",
    hint: "The most one transaction may pay for priority: above 0, up to 1 SOL",
    decimal: true,
  },
];
const TIP_FIELD = {
  name: "tip",
  server: "tipLamports",
  label: "Tip (SOL)",
  hint: "What a protected order pays the block engine: 0.000001 to 1 SOL; empty: chosen from recent tips",
  decimal: true,
} as const;

/** What a refused field needs, in the form's units; other fields show the server's reason. */
const NEEDS: Record<string, string> = {
  slippageBps: "Slippage must be more than 0% and at most 50%",
  maxPriorityFeeLamports: "The max priority fee must be above 0 and at most 1 SOL",
  tipLamports: "The tip must be at least 0.000001 SOL and at most 1 SOL, or empty",
};

/** The server's problems ({field, reason}) by its field name, the first reason of each. */
function problemsOf(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== "INVALID_SETTINGS") return {};
  const problems = (error.details as { problems?: { field: string; reason: string }[] })?.problems;
  const byField: Record<string, string> = {};
  for (const problem of problems ?? []) {
    const field = problem.field.split(".")[0] ?? problem.field;
    byField[field] ??= NEEDS[field] ?? problem.reason;
  }
  return byField;
}

/** A SOL amount as a lamports string; the form's own error (named for the field) when it is not. */
function lamportsOf(text: string, field: string, label: string): string {
  const lamports = parseSol(text);
  if (lamports === undefined)
    throw new ApiError("INVALID_SETTINGS", `${label}: “${text}” is not an amount of SOL`, 400, {
      problems: [{ field, reason: `“${text}” is not an amount of SOL` }],
    });
  return lamports.toString();
}

export function SettingsScreen() {
  const app = useApp();
  const { settings } = app;
  const [texts, setTexts] = useState(() => textsOf(settings));
  const [priority, setPriority] = useState<PriorityLevel>(settings.priorityLevel);
  const [mev, setMev] = useState(settings.mevProtection);
  useEffect(() => {
    setTexts(textsOf(settings));
    setPriority(settings.priorityLevel);
    setMev(settings.mevProtection);
  }, [settings]);
  const edit = (name: TextName) => (text: string) =>
    setTexts((current) => ({ ...current, [name]: text }));
  const action = useAction(async () => {
    const buyPresetsLamports = texts.buy
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((text) => lamportsOf(text, "buyPresetsLamports", "Buy presets"));
    const sellPresetsPercent = texts.sell
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((text) => Number(text));
    const next: Settings = {
      buyPresetsLamports,
      sellPresetsPercent,
      slippageBps: Math.round(Number(texts.slippage) * 100),
      priorityLevel: priority,
      maxPriorityFeeLamports: lamportsOf(
        texts.maxFee,
        "maxPriorityFeeLamports",
        "Max priority fee",
      ),
      mevProtection: mev,
      tipLamports: texts.tip.trim() === "" ? null : lamportsOf(texts.tip, "tipLamports", "Tip"),
    };
    const saved = await api.saveSettings(next);
    app.setSettings(saved ?? next);
    app.announce("Settings saved.");
  });
  const problems = problemsOf(action.error);
  // Protection can be turned on only where the server offers it, and off wherever it is on.
  const showMev = app.meta?.mevProtection === true || settings.mevProtection || mev;
  const textField = (field: (typeof FIELDS)[number] | typeof TIP_FIELD) => {
    const problem = problems[field.server];
    return (
      <TextField
        key={field.name}
        label={field.label}
        hint={field.hint}
        error={problem}
        id={`settings-${field.name}`}
        inputMode={field.decimal ? "decimal" : undefined}
        value={texts[field.name]}
        aria-invalid={problem ? "true" : undefined}
        onValue={edit(field.name)}
      />
    );
  };
  return (
    <Screen id="settings" title="Settings" class="narrow">
      <ActionForm
        class="card"
        action={action}
        busyLabel="Saving…"
        submit="Save settings"
        buttonClass="primary"
        errorId="settings-error"
      >
        {FIELDS.slice(0, 3).map(textField)}
        <h2 class="form-section">Order defaults</h2>
        <p class="muted small">Every order uses these unless you change them in its panel.</p>
        <Field
          label="Priority"
          error={problems.priorityLevel}
          hint="How much to bid for a place in the block: none, or the 25th, 50th, 75th or 95th percentile of recent priority fees"
        >
          <PrioritySelect
            id="settings-priority"
            value={priority}
            aria-invalid={problems.priorityLevel ? "true" : undefined}
            onValue={setPriority}
          />
        </Field>
        {FIELDS.slice(3).map(textField)}
        {showMev ? (
          <>
            <label class="check-field">
              <input
                type="checkbox"
                id="settings-mev"
                checked={mev}
                onChange={(event) => setMev(event.currentTarget.checked)}
              />
              <span>
                MEV protection: send orders only to private routes (block engines), with a tip
              </span>
            </label>
            {app.meta?.mevProtection ? null : (
              <p class="warn-text small">This server has no private route: turn it off to trade.</p>
            )}
            {textField(TIP_FIELD)}
          </>
        ) : null}
      </ActionForm>
      <TelegramPanel />
    </Screen>
  );
}
