import { useEffect, useState } from "preact/hooks";
import { ApiError, api } from "./api.js";
import { formatSol, parseSol } from "./format.js";
import { useApp } from "./state.js";
import { ActionForm, Screen, TextField, useAction } from "./ui.js";

export function SettingsScreen() {
  const app = useApp();
  const { settings } = app;
  const [buy, setBuy] = useState(
    settings.buyPresetsLamports.map((lamports) => formatSol(lamports, 9)).join(", "),
  );
  const [sell, setSell] = useState(settings.sellPresetsPercent.join(", "));
  const [slippage, setSlippage] = useState(String(settings.slippageBps / 100));
  useEffect(() => {
    setBuy(settings.buyPresetsLamports.map((lamports) => formatSol(lamports, 9)).join(", "));
    setSell(settings.sellPresetsPercent.join(", "));
    setSlippage(String(settings.slippageBps / 100));
  }, [settings]);
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
        <TextField
          label="Buy presets (SOL)"
          hint="One to six amounts, separated by commas, e.g. 0.1, 0.5, 1"
          id="settings-buy"
          value={buy}
          onValue={setBuy}
        />
        <TextField
          label="Sell presets (%)"
          hint="Shares of a holding, e.g. 25, 50, 100"
          id="settings-sell"
          value={sell}
          onValue={setSell}
        />
        <TextField
          label="Default slippage (%)"
          hint="0.01 to 50"
          id="settings-slippage"
          inputMode="decimal"
          value={slippage}
          onValue={setSlippage}
        />
      </ActionForm>
    </Screen>
  );
}
