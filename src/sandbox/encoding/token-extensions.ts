import { isOption, isSome } from "@solana/kit";
import { getMintDecoder, getTokenDecoder } from "@solana-program/token-2022";

const ZERO_ADDRESS = "11111111111111111111111111111111";

/** Kit's decoded values → agave's UI JSON: Options unwrap to value|null, zero keys mean "none". */
function toUi(value: unknown): unknown {
  if (isOption(value)) return isSome(value) ? toUi(value.value) : null;
  if (value === ZERO_ADDRESS) return null;
  if (value instanceof Map) return [...value.entries()].map(([k, v]) => [toUi(k), toUi(v)]);
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(toUi);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toUi(v)]));
  }
  return value;
}

function toUiExtension(extension: { __kind: string } & Record<string, unknown>) {
  const { __kind, ...state } = extension;
  const name = __kind.charAt(0).toLowerCase() + __kind.slice(1);
  return Object.keys(state).length === 0
    ? { extension: name }
    : { extension: name, state: toUi(state) };
}

/**
 * Token-2022 extensions in the shape of agave's jsonParsed (`{extension, state}`), decoded by the
 * program's own client; an unreadable list becomes agave's "unparseableExtension".
 */
export function getUiExtensions(data: Uint8Array, kind: "mint" | "account"): unknown[] {
  try {
    const decoded =
      kind === "mint" ? getMintDecoder().decode(data) : getTokenDecoder().decode(data);
    const list = isSome(decoded.extensions) ? decoded.extensions.value : [];
    return list
      .filter((ext) => ext.__kind !== "Uninitialized")
      .map((ext) => toUiExtension(ext as unknown as { __kind: string } & Record<string, unknown>));
  } catch {
    return [{ extension: "unparseableExtension" }];
  }
}
