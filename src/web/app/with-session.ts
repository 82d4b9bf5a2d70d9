import { ApiError, isSessionError } from "./api.js";
import type { AppState } from "./state.js";

/**
 * Runs an action that needs an unlocked trading session. With none (or when the server says it
 * expired), the unlock dialog opens; once unlocked the same action runs again, with the same
 * inputs and Idempotency-Key, so nothing the user typed is lost.
 */
export async function withSession<T>(
  app: AppState,
  walletId: string | null,
  reason: string,
  action: () => Promise<T>,
): Promise<T> {
  const needsUnlock = !app.session || (walletId !== null && app.session.walletId !== walletId);
  if (needsUnlock && !(await app.requireSession(walletId, reason))) {
    throw new ApiError("SESSION_NOT_FOUND", "Unlock the wallet to continue", 401);
  }
  try {
    const result = await action();
    void app.refreshSession();
    return result;
  } catch (error) {
    if (!isSessionError(error)) throw error;
    app.setSession(null, true);
    if (!(await app.requireSession(walletId, `Your trading session expired. ${reason}`)))
      throw error;
    const result = await action();
    void app.refreshSession();
    return result;
  }
}
