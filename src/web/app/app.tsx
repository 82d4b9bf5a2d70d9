import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { AdminScreen } from "./admin-screen.js";
import { api, type Me, type Meta, setLoggedOutHandler } from "./api.js";
import { LoginScreen } from "./login-screen.js";
import { OrdersScreen } from "./orders-screen.js";
import { PositionsScreen } from "./positions-screen.js";
import { SessionBar } from "./session-bar.js";
import { SettingsScreen } from "./settings-screen.js";
import { AppProvider, useApp } from "./state.js";
import { TokenPage } from "./token-page.js";
import { TokenSearch } from "./token-search.js";
import { TriggersScreen } from "./triggers-screen.js";
import "./app.css";
import { WalletsScreen } from "./wallets-screen.js";

type Route =
  | { name: "wallets" }
  | { name: "token"; mint: string; sell: boolean }
  | { name: "orders"; orderId: string | null }
  | { name: "triggers" }
  | { name: "positions" }
  | { name: "settings" }
  | { name: "admin" };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  switch (parts[0]) {
    case "token":
      if (parts[1])
        return { name: "token", mint: decodeURIComponent(parts[1]), sell: parts[2] === "sell" };
      return { name: "wallets" };
    case "orders":
      return { name: "orders", orderId: parts[1] ? decodeURIComponent(parts[1]) : null };
    case "triggers":
      return { name: "triggers" };
    case "positions":
      return { name: "positions" };
    case "settings":
      return { name: "settings" };
    case "admin":
      return { name: "admin" };
    default:
      return { name: "wallets" };
  }
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

const TITLES: Record<Route["name"], string> = {
  wallets: "Wallets",
  token: "Token",
  orders: "Orders",
  triggers: "Standing orders",
  positions: "Positions",
  settings: "Settings",
  admin: "Operator",
};

function Terminal() {
  const app = useApp();
  const route = useHashRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (route.name !== "token") document.title = `${TITLES[route.name]} · Osprey`;
    // Moving to another screen moves focus to it, as a page load would (not on first load).
    if (first.current) first.current = false;
    else main.current?.focus();
  }, [route.name, route.name === "token" ? route.mint : ""]);
  const isAdmin = app.me.role === "admin";
  const link = (name: Route["name"], label: string) => (
    <li>
      <a href={`#/${name}`} aria-current={route.name === name ? "page" : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href="#/wallets">
          Osprey
        </a>
        <nav aria-label="Main">
          <ul>
            {link("wallets", "Wallets")}
            {link("positions", "Positions")}
            {link("orders", "Orders")}
            {link("triggers", "Triggers")}
            {link("settings", "Settings")}
            {isAdmin ? link("admin", "Operator") : null}
          </ul>
        </nav>
        <TokenSearch />
        <div class="user">
          <span
            class={app.live ? "dot ok" : "dot"}
            title={app.live ? "Live" : "Reconnecting"}
            aria-hidden="true"
          />
          <span class="sr-only">{app.live ? "Live updates on" : "Live updates reconnecting"}</span>
          {app.meta ? <span class="badge cluster">{app.meta.cluster}</span> : null}
          <span class="username">{app.me.username}</span>
          <button type="button" class="small ghost" onClick={() => void app.logout()}>
            Log out
          </button>
        </div>
      </header>
      <SessionBar />
      <main id="main" ref={main} tabIndex={-1}>
        {route.name === "wallets" ? <WalletsScreen /> : null}
        {route.name === "token" ? (
          <TokenPage key={route.mint} mint={route.mint} focusSell={route.sell} />
        ) : null}
        {route.name === "orders" ? <OrdersScreen highlight={route.orderId} /> : null}
        {route.name === "triggers" ? <TriggersScreen /> : null}
        {route.name === "positions" ? <PositionsScreen /> : null}
        {route.name === "settings" ? <SettingsScreen /> : null}
        {route.name === "admin" ? (
          isAdmin ? (
            <AdminScreen />
          ) : (
            <p>The operator view is for administrators.</p>
          )
        ) : null}
      </main>
      <div class="sr-only" role="status" aria-live="polite" id="announcer">
        {app.announcement}
      </div>
    </>
  );
}

/** Checks the cookie login, then shows the login screen or the terminal. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [meta, setMeta] = useState<Meta | null>(null);
  const loggedOut = useCallback(() => setMe(null), []);
  useEffect(() => {
    setLoggedOutHandler(loggedOut);
    api.meta().then(setMeta, () => setMeta(null));
    api.me().then(setMe, () => setMe(null));
  }, [loggedOut]);
  useEffect(() => {
    if (me !== undefined) document.documentElement.dataset.ready = "1";
  }, [me]);
  if (me === undefined)
    return (
      <main id="main" class="boot">
        <p>Loading Osprey…</p>
      </main>
    );
  if (me === null) return <LoginScreen onLoggedIn={setMe} />;
  return (
    <AppProvider key={me.id} me={me} meta={meta} onLoggedOut={loggedOut}>
      <Terminal />
    </AppProvider>
  );
}
