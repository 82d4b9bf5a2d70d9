/**
 * What a button says when pressed: Telegram hands its `callback_data` (at most 64 bytes) back
 * with the press. Each names its action, its argument and the Telegram user the message was made
 * for, so a press by anyone else (in a group) is refused. The token itself is read from the
 * message the button sits under (its mint in a code entity), not from the data.
 */
export type ButtonAction =
  | { readonly kind: "buy"; readonly lamports: bigint; readonly owner: number }
  /** A buy of a `warn` token, tapped again after its reasons were shown. */
  | { readonly kind: "buy_confirmed"; readonly lamports: bigint; readonly owner: number }
  | { readonly kind: "buy_custom"; readonly owner: number }
  | { readonly kind: "sell"; readonly percent: number; readonly owner: number }
  | { readonly kind: "refresh"; readonly owner: number };

const MAX_BYTES = 64;
const LAMPORTS = /^[1-9]\d{0,19}$/;
const USER_ID = /^[1-9]\d{0,15}$/;

export function encodeButton(action: ButtonAction): string {
  const data = (() => {
    switch (action.kind) {
      case "buy":
        return `b.${action.lamports}.${action.owner}`;
      case "buy_confirmed":
        return `c.${action.lamports}.${action.owner}`;
      case "buy_custom":
        return `x.${action.owner}`;
      case "sell":
        return `s.${action.percent}.${action.owner}`;
      case "refresh":
        return `r.${action.owner}`;
    }
  })();
  if (Buffer.byteLength(data) > MAX_BYTES) throw new Error("callback data over 64 bytes");
  return data;
}

/** The action a press names, or null for data this bot did not write (or an older format). */
export function decodeButton(data: string | undefined): ButtonAction | null {
  if (data === undefined || Buffer.byteLength(data) > MAX_BYTES) return null;
  const parts = data.split(".");
  const ownerText = parts.at(-1) ?? "";
  if (!USER_ID.test(ownerText)) return null;
  const owner = Number(ownerText);
  const [kind, arg] = parts;
  if (parts.length === 2) {
    if (kind === "x") return { kind: "buy_custom", owner };
    if (kind === "r") return { kind: "refresh", owner };
    return null;
  }
  if (parts.length !== 3 || arg === undefined) return null;
  if ((kind === "b" || kind === "c") && LAMPORTS.test(arg)) {
    const lamports = BigInt(arg);
    if (lamports > 18_446_744_073_709_551_615n) return null;
    return { kind: kind === "b" ? "buy" : "buy_confirmed", lamports, owner };
  }
  if (kind === "s" && /^(?:[1-9]\d?|100)$/.test(arg))
    return { kind: "sell", percent: Number(arg), owner };
  return null;
}
