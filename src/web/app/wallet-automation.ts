import { useEffect, useState } from "preact/hooks";
import type { WalletAutomation } from "./automation-api.js";
import { useApp } from "./state.js";

/**
 * A wallet's automation grant from the store, read once when first asked for (the panel that
 * grants or revokes writes the answer back, so every screen sees the change). `fresh` reads it
 * again on mount: what the grant spent moves with every automated buy, and no event says so.
 */
export function useWalletAutomation(
  walletId: string | null | undefined,
  fresh = false,
): {
  automation: WalletAutomation | undefined;
  error: unknown;
} {
  const app = useApp();
  const [error, setError] = useState<unknown>(null);
  const automation = walletId ? app.automation[walletId] : undefined;
  const known = automation !== undefined;
  const { loadAutomation } = app;
  useEffect(() => {
    if (!walletId || (known && !fresh)) return;
    let live = true;
    setError(null);
    loadAutomation(walletId).catch((caught: unknown) => {
      if (live) setError(caught);
    });
    return () => {
      live = false;
    };
    // Only on a change of wallet (or the first read): not again when the answer lands.
  }, [walletId, loadAutomation]);
  return { automation, error };
}
