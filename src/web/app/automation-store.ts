import { useCallback, useRef, useState } from "preact/hooks";
import { automationApi, type Trigger, timeOf, type WalletAutomation } from "./automation-api.js";

/** The part of the app's one store that holds standing orders and each wallet's grant. */
export interface AutomationStore {
  /** Every trigger of the user, newest first; null until the first load. */
  triggers: Trigger[] | null;
  upsertTrigger(trigger: Trigger): void;
  reloadTriggers(): Promise<void>;
  /** Each wallet's automation (GET /v1/wallets/:id/automation), once asked for. */
  automation: Record<string, WalletAutomation>;
  /** Reads a wallet's automation (again); the error is the caller's to show. */
  loadAutomation(walletId: string): Promise<WalletAutomation>;
  setAutomation(walletId: string, automation: WalletAutomation): void;
}

const newestFirst = (a: Trigger, b: Trigger) => timeOf(b.createdAt) - timeOf(a.createdAt);

export function useAutomationStore(): AutomationStore {
  const [triggers, setTriggers] = useState<Trigger[] | null>(null);
  const [automation, setAutomationMap] = useState<Record<string, WalletAutomation>>({});
  const loading = useRef(new Map<string, Promise<WalletAutomation>>());

  const upsertTrigger = useCallback((trigger: Trigger) => {
    setTriggers((old) => {
      const list = old ?? [];
      const index = list.findIndex((item) => item.id === trigger.id);
      if (index === -1) return [trigger, ...list].sort(newestFirst);
      const existing = list[index];
      // An older snapshot arriving late (an event after the POST's answer) never wins.
      if (existing && timeOf(existing.updatedAt) > timeOf(trigger.updatedAt)) return list;
      const next = list.slice();
      next[index] = trigger;
      return next;
    });
  }, []);

  const reloadTriggers = useCallback(async () => {
    try {
      setTriggers((await automationApi.triggers()).triggers.slice().sort(newestFirst));
    } catch {
      setTriggers((old) => old ?? []);
    }
  }, []);

  const setAutomation = useCallback((walletId: string, value: WalletAutomation) => {
    setAutomationMap((old) => ({ ...old, [walletId]: value }));
  }, []);

  const loadAutomation = useCallback(
    (walletId: string) => {
      // Several rows of one wallet ask at once: one request answers them all.
      const pending = loading.current.get(walletId);
      if (pending) return pending;
      const request = automationApi
        .walletAutomation(walletId)
        .then((value) => {
          setAutomation(walletId, value);
          return value;
        })
        .finally(() => loading.current.delete(walletId));
      loading.current.set(walletId, request);
      return request;
    },
    [setAutomation],
  );

  return { triggers, upsertTrigger, reloadTriggers, automation, loadAutomation, setAutomation };
}
