/**
 * The sandbox's tokens an Osprey in front of it vouches for: its stable, which stands in for
 * USDC and, like it, keeps a mint and a freeze authority. `serve` pins them when it starts the
 * sandbox, and `osprey check` pins the same ones when it talks to that sandbox.
 */
const PINNED_SYMBOLS = ["USDC"] as const;

/** Symbol → mint of the pinned tokens, from the sandbox's demo mints (the ready line's `mints`). */
export function getSandboxPinnedMints(
  mints: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    PINNED_SYMBOLS.flatMap((symbol) => (mints[symbol] ? [[symbol, mints[symbol]]] : [])),
  );
}
