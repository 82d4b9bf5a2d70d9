import { ApiError } from "./api.js";
import { grantRefusal, type TriggerType, type WalletAutomation } from "./automation-api.js";

/** "0.0123" -> "0.0123": a decimal USD price above zero with at most 18 decimals, else undefined. */
export function parsePriceUsd(text: string): string | undefined {
  const trimmed = text.trim().replace(/^\$/, "").replace(/,/g, "");
  const match = /^(\d*)(?:\.(\d{0,18}))?$/.exec(trimmed);
  if (!match || trimmed === "" || trimmed === ".") return undefined;
  if (!(Number(trimmed) > 0)) return undefined;
  const whole = (match[1] ?? "").replace(/^0+(?=\d)/, "") || "0";
  const fraction = (match[2] ?? "").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

/** A percentage within [min, max]; undefined when it does not parse or is out of range. */
export function parsePercent(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim().replace(/%$/, "");
  if (!trimmed) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/** What the page refuses before asking the server: the same shape as the server's refusals. */
export function invalidInput(message: string): ApiError {
  return new ApiError("INVALID_INPUT", message, 400);
}

/** Why these order types cannot be armed for the wallet: one sentence per distinct reason. */
export function refusalsFor(
  automation: WalletAutomation | undefined,
  types: TriggerType[],
): string[] {
  const reasons = types
    .map((type) => grantRefusal(automation, type))
    .filter((reason): reason is string => reason !== null);
  return [...new Set(reasons)];
}

/**
 * The reasons a form's submit is disabled, shown above it and named by its aria-describedby
 * (a disabled button cannot take focus, so the reason is text the user can reach).
 */
export function RefusalNote(props: { id: string; reasons: string[] }) {
  if (props.reasons.length === 0) return null;
  return (
    <div class="refusal" id={props.id} role="note">
      {props.reasons.map((reason) => (
        <p key={reason}>{reason}</p>
      ))}
      {props.reasons.some((reason) => reason.includes("Wallets screen")) ? (
        <p>
          <a href="#/wallets">Go to Wallets</a>
        </p>
      ) : null}
    </div>
  );
}
