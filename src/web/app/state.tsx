import { type ComponentChildren, createContext } from "preact";
import { useCallback, useContext, useEffect, useMemo, useRef, useState } from "preact/hooks";
import {
  api,
  type Me,
  type Meta,
  type Order,
  type Position,
  type Settings,
  type TradingSession,
  type Wallet,
  type Withdrawal,
} from "./api.js";
import { type AutomationStore, useAutomationStore } from "./automation-store.js";
import { LiveEvents, type PriceTick } from "./live-events.js";
import { type TelegramStore, useTelegramStore } from "./telegram-store.js";

/**
 * The same object for as long as none of its values changes, so the context's readers re-render
 * only on a change. Its keys never change, so the dependency list keeps its length.
 */
function useStableObject<T extends object>(value: T): T {
  return useMemo(() => value, Object.values(value));
}

export const DEFAULT_SETTINGS: Settings = {
  buyPresetsLamports: ["100000000", "500000000", "1000000000"],
  sellPresetsPercent: [25, 50, 100],
  slippageBps: 100,
  priorityLevel: "medium",
  maxPriorityFeeLamports: "5000000",
  mevProtection: false,
  tipLamports: null,
};

/** A pending "unlock to continue" request: the dialog resolves it once a session is open. */
export interface UnlockRequest {
  walletId: string | null;
  reason: string;
  resolve(ok: boolean): void;
}

export interface AppState extends AutomationStore, TelegramStore {
  me: Me;
  meta: Meta | null;
  settings: Settings;
  setSettings(settings: Settings): void;
  wallets: Wallet[] | null;
  walletsError: string | null;
  reloadWallets(): Promise<void>;
  session: TradingSession | null;
  /** True when a session was open and then found expired/revoked. */
  sessionLost: boolean;
  refreshSession(): Promise<void>;
  setSession(session: TradingSession | null, lost?: boolean): void;
  /** Opens the unlock dialog; resolves true once unlocked (then retry the action). */
  requireSession(walletId: string | null, reason: string): Promise<boolean>;
  unlockRequest: UnlockRequest | null;
  orders: Order[] | null;
  upsertOrder(order: Order): void;
  reloadOrders(): Promise<void>;
  positions: Position[] | null;
  reloadPositions(): Promise<void>;
  withdrawals: Record<string, Withdrawal>;
  upsertWithdrawal(withdrawal: Withdrawal): void;
  watch(mint: string | null): void;
  onPrice(listener: (tick: PriceTick) => void): () => void;
  live: boolean;
  announce(message: string): void;
  announcement: string;
  logout(): Promise<void>;
}

const Context = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(Context);
  if (!state) throw new Error("useApp outside AppProvider");
  return state;
}

export function AppProvider(props: {
  me: Me;
  meta: Meta | null;
  onLoggedOut(): void;
  children: ComponentChildren;
}) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS);
  const [wallets, setWallets] = useState<Wallet[] | null>(null);
  const [walletsError, setWalletsError] = useState<string | null>(null);
  const [session, setSessionState] = useState<TradingSession | null>(null);
  const [sessionLost, setSessionLost] = useState(false);
  const [unlockRequest, setUnlockRequest] = useState<UnlockRequest | null>(null);
  const [orders, setOrders] = useState<Order[] | null>(null);
  const [positions, setPositions] = useState<Position[] | null>(null);
  const [withdrawals, setWithdrawals] = useState<Record<string, Withdrawal>>({});
  const [live, setLive] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const priceListeners = useRef(new Set<(tick: PriceTick) => void>());
  const automation = useAutomationStore();
  const { upsertTrigger, reloadTriggers } = automation;
  const telegram = useTelegramStore();
  const { reloadTelegram } = telegram;

  const announce = useCallback((message: string) => {
    // Clear first so the same sentence twice is read twice.
    setAnnouncement("");
    setTimeout(() => setAnnouncement(message), 30);
  }, []);

  const reloadWallets = useCallback(async () => {
    try {
      setWallets(await api.wallets());
      setWalletsError(null);
    } catch (error) {
      setWalletsError(error instanceof Error ? error.message : String(error));
    }
  }, []);
  const reloadOrders = useCallback(async () => {
    try {
      setOrders((await api.orders()).orders);
    } catch {
      setOrders((old) => old ?? []);
    }
  }, []);
  const reloadPositions = useCallback(async () => {
    try {
      setPositions((await api.positions()).positions);
    } catch {
      setPositions((old) => old ?? []);
    }
  }, []);
  const setSession = useCallback((next: TradingSession | null, lost = false) => {
    setSessionState(next);
    setSessionLost(next ? false : lost);
  }, []);
  const refreshSession = useCallback(async () => {
    try {
      const current = await api.currentSession();
      setSession(current);
    } catch {
      setSessionState((old) => {
        if (old) setSessionLost(true);
        return null;
      });
    }
  }, [setSession]);

  const upsertOrder = useCallback((order: Order) => {
    setOrders((old) => {
      const list = old ?? [];
      const index = list.findIndex((item) => item.id === order.id);
      if (index === -1) return [order, ...list];
      const existing = list[index];
      // An older snapshot arriving late never overwrites a newer one.
      if (existing && existing.updatedAt > order.updatedAt) return list;
      const next = list.slice();
      next[index] = order;
      return next;
    });
  }, []);
  const upsertWithdrawal = useCallback((withdrawal: Withdrawal) => {
    setWithdrawals((old) => {
      const existing = old[withdrawal.id];
      if (existing && existing.updatedAt > withdrawal.updatedAt) return old;
      return { ...old, [withdrawal.id]: withdrawal };
    });
  }, []);

  const requireSession = useCallback(
    (walletId: string | null, reason: string) =>
      new Promise<boolean>((resolve) => {
        setUnlockRequest({
          walletId,
          reason,
          resolve: (ok) => {
            setUnlockRequest(null);
            resolve(ok);
          },
        });
      }),
    [],
  );

  const liveRef = useRef<LiveEvents | null>(null);
  useEffect(() => {
    const events = new LiveEvents(
      {
        order: (order) => {
          upsertOrder(order);
          if (order.status === "CONFIRMED" || order.status === "FAILED") {
            void reloadPositions();
          }
        },
        withdrawal: upsertWithdrawal,
        trigger: upsertTrigger,
        balance: () => {
          void reloadWallets();
          void reloadPositions();
        },
        price: (tick) => {
          for (const listener of priceListeners.current) listener(tick);
        },
        connected: setLive,
      },
      () => {
        void reloadOrders();
        void reloadPositions();
        void reloadWallets();
        void reloadTriggers();
      },
    );
    liveRef.current = events;
    events.start();
    return () => events.stop();
  }, [
    upsertOrder,
    upsertWithdrawal,
    upsertTrigger,
    reloadPositions,
    reloadWallets,
    reloadOrders,
    reloadTriggers,
  ]);

  useEffect(() => {
    void reloadWallets();
    void reloadOrders();
    void reloadPositions();
    void reloadTriggers();
    void refreshSession();
    api
      .settings()
      .then(setSettings)
      .catch(() => {});
    // Without an answer the terminal simply offers nothing Telegram outside Settings.
    reloadTelegram().catch(() => {});
  }, [
    reloadWallets,
    reloadOrders,
    reloadPositions,
    reloadTriggers,
    refreshSession,
    reloadTelegram,
  ]);

  const watch = useCallback((mint: string | null) => liveRef.current?.setWatch(mint), []);
  const onPrice = useCallback((listener: (tick: PriceTick) => void) => {
    priceListeners.current.add(listener);
    return () => {
      priceListeners.current.delete(listener);
    };
  }, []);

  const { onLoggedOut } = props;
  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Logged out or not, the page forgets the user.
    }
    liveRef.current?.stop();
    onLoggedOut();
  }, [onLoggedOut]);

  const value = useStableObject<AppState>({
    me: props.me,
    meta: props.meta,
    settings,
    setSettings,
    wallets,
    walletsError,
    reloadWallets,
    session,
    sessionLost,
    refreshSession,
    setSession,
    requireSession,
    unlockRequest,
    orders,
    upsertOrder,
    reloadOrders,
    positions,
    reloadPositions,
    withdrawals,
    upsertWithdrawal,
    watch,
    onPrice,
    live,
    announce,
    announcement,
    logout,
    ...automation,
    ...telegram,
  });
  return <Context.Provider value={value}>{props.children}</Context.Provider>;
}
