/**
 * Resolves in the loop turn after next: whatever was deferred with `setImmediate` meanwhile (an
 * RPC batch's flush, which kit's layers schedule a few microtasks after the call) has run. A
 * caller about to hold the thread with synchronous work (SQLite writes) lets its requests leave
 * first.
 */
export function afterImmediates(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}
