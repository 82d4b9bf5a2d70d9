import { useEffect, useState } from "preact/hooks";
import { api, isSessionError } from "./api.js";
import { Form, PasswordField } from "./form.js";
import { formatCountdown, shortAddress } from "./format.js";
import { useApp } from "./state.js";
import {
  type TelegramHandoff,
  TelegramHandoffNotice,
  useTelegramHandoff,
} from "./telegram-handoff.js";
import { ActionButton, BusyButton, Dialog, ErrorNote, Field, useAction } from "./ui.js";

function useSecondsLeft(expiresAt: string | undefined): number | null {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!expiresAt) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt]);
  if (!expiresAt) return null;
  return Math.max(0, (new Date(expiresAt).getTime() - now) / 1000);
}

/** The unlock form shared by the bar and the "unlock to continue" dialog. */
function UnlockForm(props: {
  walletId: string | null;
  onUnlocked(): void;
  compact?: boolean;
  idPrefix: string;
}) {
  const app = useApp();
  const wallets = (app.wallets ?? []).filter((wallet) => wallet.active);
  const [walletId, setWalletId] = useState(props.walletId ?? app.session?.walletId ?? "");
  const [password, setPassword] = useState("");
  const chosen = walletId || wallets[0]?.id || "";
  const action = useAction(async () => {
    if (!chosen) throw new Error("Create a wallet first (Wallets).");
    await api.unlock(chosen, password);
    setPassword("");
    await app.refreshSession();
    app.announce("Wallet unlocked.");
    props.onUnlocked();
  });
  if (app.wallets && wallets.length === 0)
    return (
      <p class="muted">
        No wallet yet: <a href="#/wallets">create one</a> to trade.
      </p>
    );
  return (
    <Form class={props.compact ? "unlock-form compact" : "unlock-form"} onSubmit={action.run}>
      <Field label="Wallet">
        <select
          id={`${props.idPrefix}-wallet`}
          value={chosen}
          onChange={(event) => setWalletId(event.currentTarget.value)}
        >
          {wallets.map((wallet) => (
            <option key={wallet.id} value={wallet.id}>
              {wallet.label} ({shortAddress(wallet.publicKey)})
            </option>
          ))}
        </select>
      </Field>
      <PasswordField
        label="Wallet password"
        id={`${props.idPrefix}-password`}
        // In the dialog the wallet is usually chosen already: the password is what to type.
        autofocus={!props.compact}
        autocomplete="current-password"
        value={password}
        onValue={setPassword}
      />
      <BusyButton busy={action.busy} busyLabel="Unlocking…" class="primary">
        Unlock
      </BusyButton>
      <ErrorNote error={action.error} />
    </Form>
  );
}

/** The trading session: unlock, time left, lock; and the dialog that asks to unlock again. */
export function SessionBar() {
  const app = useApp();
  const session = app.session;
  const secondsLeft = useSecondsLeft(session?.expiresAt);
  const expired = secondsLeft !== null && secondsLeft <= 0;
  const handoff = useTelegramHandoff();
  useEffect(() => {
    // The server decides: ask it when the clock says the session ran out (it may have been used).
    if (expired) void app.refreshSession();
  }, [expired, app.refreshSession]);
  const lock = useAction(async () => {
    try {
      await api.lock();
    } catch (error) {
      // Already gone is locked; anything else leaves the session open and says why.
      if (!isSessionError(error)) throw error;
    }
    app.setSession(null);
    handoff.share.setError(null);
    // Locking ends the chat's hold too: read what the server says now.
    if (app.telegram?.chatSession) app.reloadTelegram().catch(() => {});
    app.announce("Wallet locked.");
  });
  const wallet = session ? app.wallets?.find((item) => item.id === session.walletId) : undefined;
  return (
    <section class="session-bar" aria-label="Trading session">
      {session && !expired ? (
        <div class="session-open" data-session="open">
          <span class="dot ok" aria-hidden="true" />
          <span>
            Unlocked: <strong>{wallet?.label ?? "wallet"}</strong> (
            {shortAddress(session.publicKey)})
          </span>
          <span class="countdown" role="timer" aria-live="off" aria-label="Session time left">
            {formatCountdown(secondsLeft ?? 0)} left
          </span>
          <ActionButton action={lock} busyLabel="Locking…" class="small">
            Lock
          </ActionButton>
          <ErrorNote error={lock.error} />
        </div>
      ) : (
        <div
          class="session-closed"
          data-session={app.sessionLost || expired ? "expired" : "locked"}
        >
          {app.sessionLost || expired ? (
            <p class="warn-text" role="status">
              Your trading session expired. Unlock again to trade.
            </p>
          ) : (
            <span class="muted">Locked</span>
          )}
          <UnlockForm
            walletId={null}
            onUnlocked={handoff.afterUnlock}
            compact
            idPrefix="bar-unlock"
          />
        </div>
      )}
      {expired ? null : <TelegramHandoffNotice handoff={handoff} />}
      <UnlockDialog handoff={handoff} />
    </section>
  );
}

function UnlockDialog(props: { handoff: TelegramHandoff }) {
  const app = useApp();
  const request = app.unlockRequest;
  return (
    <Dialog
      title="Unlock to continue"
      open={request !== null}
      onClose={() => request?.resolve(false)}
    >
      {request ? (
        <>
          <p>{request.reason}</p>
          <p class="muted">
            What you typed is kept; the action continues once the wallet is unlocked.
          </p>
          <UnlockForm
            walletId={request.walletId}
            onUnlocked={() => {
              request.resolve(true);
              props.handoff.afterUnlock();
            }}
            idPrefix="dialog-unlock"
          />
        </>
      ) : null}
    </Dialog>
  );
}
