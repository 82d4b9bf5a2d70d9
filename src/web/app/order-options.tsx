import { useEffect, useState } from "preact/hooks";
import type { OrderOverrides, PriorityLevel, Settings } from "./api.js";
import { TextField } from "./form.js";
import { formatSol, parseSol } from "./format.js";
import { Field } from "./ui.js";

/** The priority levels as the page names them, in the order the server lists them. */
export const PRIORITY_LABELS: Record<PriorityLevel, string> = {
  none: "None",
  low: "Low",
  medium: "Medium",
  high: "High",
  veryHigh: "Very high",
};
export const PRIORITY_LEVELS = Object.keys(PRIORITY_LABELS) as PriorityLevel[];

/** The server's bounds (src/accounts/user-settings.ts): a cap or a tip is at most 1 SOL. */
export const MAX_FEE_LAMPORTS = 1_000_000_000n;
export const MIN_TIP_LAMPORTS = 1_000n;

/** "1.5" (%) -> 150 bps; undefined outside 0.01–50 %. */
export function parseSlippage(text: string): number | undefined {
  const value = Number(text);
  if (!text.trim() || !Number.isFinite(value) || value <= 0 || value > 50) return undefined;
  const bps = Math.round(value * 100);
  return bps >= 1 ? bps : undefined;
}

/** Lamports typed in SOL within [min, 1 SOL]; undefined when it does not parse or is out of range. */
export function parseLamportsInSol(text: string, min: bigint): bigint | undefined {
  const lamports = parseSol(text);
  return lamports !== undefined && lamports >= min && lamports <= MAX_FEE_LAMPORTS
    ? lamports
    : undefined;
}

interface Texts {
  slippage: string;
  priority: PriorityLevel;
  maxFee: string;
  mev: boolean;
  tip: string;
}

const textsOf = (settings: Settings): Texts => ({
  slippage: String(settings.slippageBps / 100),
  priority: settings.priorityLevel,
  maxFee: formatSol(settings.maxPriorityFeeLamports, 9).replace(/,/g, ""),
  mev: settings.mevProtection,
  tip: settings.tipLamports === null ? "" : formatSol(settings.tipLamports, 9).replace(/,/g, ""),
});

/**
 * One order's slippage, priority, MEV protection and tip: the user's settings unless changed in
 * the panel. `overrides` is what POST /v1/orders gets: the slippage always (as before), the
 * others only where they differ from the settings (the server fills the rest from them).
 */
export function useOrderOptions(settings: Settings, mevAvailable: boolean) {
  const [texts, setTexts] = useState(() => textsOf(settings));
  useEffect(() => setTexts(textsOf(settings)), [settings]);
  const slippageBps = parseSlippage(texts.slippage);
  const maxFee = parseLamportsInSol(texts.maxFee, 1n);
  const tipAuto = texts.tip.trim() === "";
  const tip = tipAuto ? null : parseLamportsInSol(texts.tip, MIN_TIP_LAMPORTS);
  // The toggle is shown only when the server offers protection; otherwise the settings stand.
  const mev = mevAvailable ? texts.mev : settings.mevProtection;
  const invalid = {
    slippage: slippageBps === undefined,
    maxFee: maxFee === undefined,
    tip: mev && tip === undefined,
  };
  const overrides: OrderOverrides = {};
  if (slippageBps !== undefined) overrides.slippageBps = slippageBps;
  if (texts.priority !== settings.priorityLevel) overrides.priorityLevel = texts.priority;
  if (maxFee !== undefined && maxFee.toString() !== settings.maxPriorityFeeLamports)
    overrides.maxPriorityFeeLamports = maxFee.toString();
  if (mev !== settings.mevProtection) overrides.mevProtection = mev;
  if (mev && tip !== undefined && (tip?.toString() ?? null) !== settings.tipLamports)
    overrides.tipLamports = tip === null ? null : tip.toString();
  const changed =
    Object.keys(overrides).length > 1 || overrides.slippageBps !== settings.slippageBps;
  return {
    texts,
    set: <K extends keyof Texts>(name: K, value: Texts[K]) =>
      setTexts((current) => ({ ...current, [name]: value })),
    reset: () => setTexts(textsOf(settings)),
    slippageBps,
    priorityLevel: texts.priority,
    maxFee,
    mev,
    tip,
    mevAvailable,
    /** The settings ask for protection this server cannot give: orders are refused. */
    mevUnavailable: mev && !mevAvailable,
    invalid,
    valid: !invalid.slippage && !invalid.maxFee && !invalid.tip,
    changed,
    overrides,
  };
}

export type OrderOptionsState = ReturnType<typeof useOrderOptions>;

/** A select of the priority levels, as the order panel and the settings screen show it. */
export function PrioritySelect(props: {
  id: string;
  value: PriorityLevel;
  onValue: (level: PriorityLevel) => void;
  "aria-invalid"?: "true" | undefined;
}) {
  return (
    <select
      id={props.id}
      value={props.value}
      aria-invalid={props["aria-invalid"]}
      onChange={(event) => props.onValue(event.currentTarget.value as PriorityLevel)}
    >
      {PRIORITY_LEVELS.map((level) => (
        <option key={level} value={level}>
          {PRIORITY_LABELS[level]}
        </option>
      ))}
    </select>
  );
}

/** The effective options in one line, then an "Advanced" disclosure to change them for one order. */
export function OrderOptions(props: { side: "buy" | "sell"; options: OrderOptionsState }) {
  const { side, options } = props;
  const { texts, invalid } = options;
  const id = (name: string) => `${side}-${name}`;
  const sol = (lamports: bigint | null | undefined) =>
    lamports === null || lamports === undefined ? "—" : `${formatSol(lamports, 9)} SOL`;
  /** A decimal text field of the panel, marked invalid when its value does not parse. */
  const solField = (
    name: "slippage" | "maxFee" | "tip",
    idName: string,
    label: string,
    hint: string,
  ) => (
    <TextField
      label={label}
      id={id(idName)}
      inputMode="decimal"
      hint={hint}
      value={texts[name]}
      aria-invalid={invalid[name] ? "true" : undefined}
      onValue={(value) => options.set(name, value)}
    />
  );
  return (
    <div class="order-options">
      <p
        class="effective small muted"
        id={id("effective")}
        data-slippage-bps={options.slippageBps ?? ""}
        data-priority={options.priorityLevel}
        data-max-priority-fee={options.maxFee?.toString() ?? ""}
        data-mev={options.mev ? "on" : "off"}
        data-tip={
          options.mev ? (options.tip === null ? "auto" : (options.tip?.toString() ?? "")) : ""
        }
      >
        Slippage{" "}
        {options.slippageBps === undefined ? "—" : `${(options.slippageBps / 100).toFixed(2)}%`} ·
        Priority {PRIORITY_LABELS[options.priorityLevel]}
        {options.priorityLevel === "none" ? "" : ` (at most ${sol(options.maxFee)})`}
        {options.mevAvailable || options.mev
          ? ` · MEV protection ${options.mev ? "on" : "off"}`
          : ""}
        {options.mev ? ` · Tip ${options.tip === null ? "auto" : sol(options.tip)}` : ""}
      </p>
      {options.mevUnavailable ? (
        <p class="warn-text small" role="note">
          Your settings ask for MEV protection, which this server does not offer: orders are refused
          until you turn it off in <a href="#/settings">Settings</a>.
        </p>
      ) : null}
      <details class="advanced" id={id("advanced")}>
        <summary>
          Advanced{options.changed ? <span class="changed"> · changed for this order</span> : null}
        </summary>
        <div class="row">
          {solField("slippage", "slippage", "Slippage (%)", "0.01 to 50")}
          <Field label="Priority">
            <PrioritySelect
              id={id("priority")}
              value={texts.priority}
              onValue={(level) => options.set("priority", level)}
            />
          </Field>
        </div>
        {solField(
          "maxFee",
          "max-priority-fee",
          "Max priority fee (SOL)",
          "Up to 1 SOL for one transaction",
        )}
        {options.mevAvailable ? (
          <label class="check-field">
            <input
              type="checkbox"
              id={id("mev")}
              checked={texts.mev}
              onChange={(event) => options.set("mev", event.currentTarget.checked)}
            />
            <span>MEV protection: private routes only, with a tip</span>
          </label>
        ) : null}
        {options.mevAvailable && options.mev
          ? solField("tip", "tip", "Tip (SOL)", "0.000001 to 1 SOL; empty: chosen from recent tips")
          : null}
        {options.changed ? (
          <button type="button" class="link small" onClick={options.reset}>
            Use my settings
          </button>
        ) : null}
      </details>
    </div>
  );
}
