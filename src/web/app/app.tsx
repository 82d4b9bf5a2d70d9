import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { AdminScreen } from "./admin-screen.js";
import { ApiError, api, type Me, type Meta, setLoggedOutHandler } from "./api.js";
import { LoginScreen } from "./login-screen.js";
import { OrdersScreen } from "./orders-screen.js";
import { PositionsScreen } from "./positions-screen.js";
import { SessionBar } from "./session-bar.js";
import { SettingsScreen } from "./settings-screen.js";
import { AppProvider, useApp } from "./state.js";
import { markOpenedFromTelegram } from "./telegram-store.js";
import { TokenPage } from "./token-page.js";
import { TokenSearch } from "./token-search.js";
import { TriggersScreen } from "./triggers-screen.js";
import { ErrorNote } from "./ui.js";
import "./app.css";
import { WalletsScreen } from "./wallets-screen.js";

type Route =
  | { name: "wallets" }
  | { name: "token"; mint: string; sell: boolean }
  | { name: "orders"; orderId: string | null }
  | { name: "triggers" }
  | { name: "positions" }
  | { name: "settings" }
  | { name: "admin" }
  /** The bot's one-time login link: read once on arrival, never shown as a screen. */
  | { name: "telegram"; token: string };

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
    case "telegram":
      return { name: "telegram", token: parts[1] ? decodeURIComponent(parts[1]) : "" };
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
  telegram: "Wallets",
};

/** `linkError`: the bot's link was refused, but the browser's own login still holds. */
function Terminal(props: { linkError: unknown; onDismissLinkError(): void }) {
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
        {props.linkError ? (
          <div class="link-error">
            <ErrorNote error={props.linkError} id="login-link-error" />
            <button type="button" class="small ghost" onClick={props.onDismissLinkError}>
              Dismiss
            </button>
          </div>
        ) : null}
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

const WEB_LINK_TOKEN = /^otw_[A-Za-z0-9_-]{43}$/;

export const EXPIRED_TELEGRAM_LINK =
  "This link has expired or was already used. Ask the bot for a new one with /unlock.";

/**
 * Logs in with the bot's one-time link. The token leaves the address bar and the history first
 * (replaceState: no entry to go back to), whatever the server answers.
 */
async function logInFromTelegram(token: string): Promise<Me> {
  history.replaceState(null, "", "#/wallets");
  try {
    if (!WEB_LINK_TOKEN.test(token)) throw new ApiError("TELEGRAM_TOKEN_INVALID", "", 400);
    const { user } = await api.telegramWebLogin(token);
    markOpenedFromTelegram(user.id);
    return user;
  } catch (error) {
    if (error instanceof ApiError && error.code === "TELEGRAM_TOKEN_INVALID")
      throw new ApiError(error.code, EXPIRED_TELEGRAM_LINK, error.status);
    throw error;
  }
}

/** Checks the cookie login (or the bot's link), then shows the login screen or the terminal. */
export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [meta, setMeta] = useState<Meta | null>(null);
  /** Why the bot's link did not log in: shown until the user logs in or dismisses it. */
  const [linkError, setLinkError] = useState<unknown>(null);
  const loggedOut = useCallback(() => setMe(null), []);
  const loggedOutByUser = useCallback(() => {
    setLinkError(null);
    setMe(null);
  }, []);
  useEffect(() => {
    setLoggedOutHandler(loggedOut);
    api.meta().then(setMeta, () => setMeta(null));
    const arrive = () => {
      const route = parseRoute(location.hash);
      if (route.name !== "telegram") return false;
      setMe(undefined);
      logInFromTelegram(route.token).then(
        (user) => {
          setLinkError(null);
          setMe(user);
        },
        (error: unknown) => {
          setLinkError(error);
          // A refused link changes nothing: a login this browser already had still holds.
          api.me().then(setMe, () => setMe(null));
        },
      );
      return true;
    };
    if (!arrive()) api.me().then(setMe, () => setMe(null));
    // A link opened in a tab that already shows the terminal changes only the hash.
    const onHashChange = () => void arrive();
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
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
  if (me === null)
    return (
      <LoginScreen
        error={linkError}
        onLoggedIn={(user) => {
          setLinkError(null);
          setMe(user);
        }}
      />
    );
  return (
    <AppProvider key={me.id} me={me} meta={meta} onLoggedOut={loggedOutByUser}>
      <Terminal linkError={linkError} onDismissLinkError={() => setLinkError(null)} />
    </AppProvider>
  );
}
