import { useEffect, useState } from "preact/hooks";
import { ApiError, api, type Settings } from "./api.js";
import { ActionForm, TextField } from "./form.js";
import { formatSol, parseSol } from "./format.js";
import { useApp } from "./state.js";
import { Screen, useAction } from "./ui.js";

/** The settings as the form shows them: presets separated by commas, slippage in %. */
function textsOf(settings: Settings) {
  return {
    buy: settings.buyPresetsLamports.map((lamports) => formatSol(lamports, 9)).join(", "),
    sell: settings.sellPresetsPercent.join(", "),
    slippage: String(settings.slippageBps / 100),
  };
}

const FIELDS = [
  {
    name: "buy",
    label: "Buy presets (SOL)",
    hint: "One to six amounts, separated by commas, e.g. 0.1, 0.5, 1",
  },
  { name: "sell", label: "Sell presets (%)", hint: "Shares of a holding, e.g. 25, 50, 100" },
  { name: "slippage", label: "Default slippage (%)", hint: "0.01 to 50" },
] as const;

export function SettingsScreen() {
  const app = useApp();
  const { settings } = app;
  const [texts, setTexts] = useState(() => textsOf(settings));
  useEffect(() => setTexts(textsOf(settings)), [settings]);
  const edit = (name: (typeof FIELDS)[number]["name"]) => (text: string) =>
    setTexts((current) => ({ ...current, [name]: text }));
  const { buy, sell, slippage } = texts;
  const action = useAction(async () => {
    const buyPresetsLamports = buy
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((text) => {
        const lamports = parseSol(text);
        if (!lamports)
          throw new ApiError("INVALID_SETTINGS", `“${text}” is not an amount of SOL`, 400);
        return lamports.toString();
      });
    const sellPresetsPercent = sell
      .split(/[,\s]+/)
      .filter(Boolean)
      .map((text) => Number(text));
    const slippageBps = Math.round(Number(slippage) * 100);
    const saved = await api.saveSettings({ buyPresetsLamports, sellPresetsPercent, slippageBps });
    app.setSettings(saved ?? { buyPresetsLamports, sellPresetsPercent, slippageBps });
    app.announce("Settings saved.");
  });
  return (
    <Screen id="settings" title="Settings" class="narrow">
      <ActionForm
        class="card"
        action={action}
        busyLabel="Saving…"
        submit="Save settings"
        buttonClass="primary"
      >
        {FIELDS.map((field) => (
          <TextField
            key={field.name}
            label={field.label}
            hint={field.hint}
            id={`settings-${field.name}`}
            inputMode={field.name === "slippage" ? "decimal" : undefined}
            value={texts[field.name]}
            onValue={edit(field.name)}
          />
        ))}
      </ActionForm>
    </Screen>
  );
}
