import { useEffect, useState } from "preact/hooks";
import type { WalletAutomation } from "./automation-api.js";
import { useApp } from "./state.js";

/**
 * A wallet's automation grant from the store, read once when first asked for (the panel that
 * grants or revokes writes the answer back, so every screen sees the change).
 */
export function useWalletAutomation(walletId: string | null | undefined): {
  automation: WalletAutomation | undefined;
  error: unknown;
} {
  const app = useApp();
  const [error, setError] = useState<unknown>(null);
  const automation = walletId ? app.automation[walletId] : undefined;
  const known = automation !== undefined;
  const { loadAutomation } = app;
  useEffect(() => {
    if (!walletId || known) return;
    let live = true;
    setError(null);
    loadAutomation(walletId).catch((caught: unknown) => {
      if (live) setError(caught);
    });
    return () => {
      live = false;
    };
  }, [walletId, known, loadAutomation]);
  return { automation, error };
}
