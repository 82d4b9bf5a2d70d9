import { useEffect, useState } from "preact/hooks";
import { api, type TelegramLinkCode, type TelegramStatus } from "./api.js";
import { formatTime, shortAddress } from "./format.js";
import { useApp } from "./state.js";
import { ActionButton, CopyButton, Dialog, ErrorNote, useAction } from "./ui.js";

export const TELEGRAM_OFF =
  "Telegram is off on this server: the operator has not set TELEGRAM_BOT_TOKEN.";

/** How often the page asks whether the bot took the code shown. */
const LINK_POLL_MS = 3_000;

const minutesLeft = (iso: string) =>
  Math.max(1, Math.round((Date.parse(iso) - Date.now()) / 60_000));

/** The code to send the bot, until it is used (the link appears) or runs out. */
function LinkCode(props: { code: TelegramLinkCode; botUsername: string | null }) {
  const { code, botUsername } = props;
  const bot = botUsername ? `@${botUsername}` : "the bot";
  return (
    <div class="telegram-link-code" role="status">
      <p>
        Send <span class="mono">/start</span>{" "}
        <code class="telegram-code" data-telegram-code={code.code}>
          {code.code}
        </code>{" "}
        to {bot} within {minutesLeft(code.expiresAt)} minutes.
      </p>
      <div class="actions">
        <CopyButton text={`/start ${code.code}`} label="Copy the message" />
        {code.startLink ? (
          <a class="button small" href={code.startLink} target="_blank" rel="noopener noreferrer">
            Open {bot} in Telegram
          </a>
        ) : null}
      </div>
      <p class="muted small">This page notices the link by itself once the bot has it.</p>
    </div>
  );
}

function UnlinkDialog(props: { open: boolean; onClose(): void }) {
  const app = useApp();
  const unlink = useAction(async () => {
    await api.unlinkTelegram();
    await app.reloadTelegram();
    app.announce("Telegram unlinked.");
    props.onClose();
  });
  return (
    <Dialog title="Unlink Telegram?" open={props.open} onClose={props.onClose}>
      <p>
        The chat can no longer trade for you or read your account, and its hold on your trading
        session ends. You can link again later.
      </p>
      <ErrorNote error={unlink.error} />
      <div class="actions">
        <button type="button" onClick={props.onClose}>
          Keep the link
        </button>
        <ActionButton action={unlink} busyLabel="Unlinking…" class="danger">
          Unlink
        </ActionButton>
      </div>
    </Dialog>
  );
}

function Linked(props: { status: TelegramStatus }) {
  const app = useApp();
  const { status } = props;
  const [confirming, setConfirming] = useState(false);
  const chat = status.chatSession;
  const wallet = chat ? app.wallets?.find((item) => item.id === chat.walletId) : undefined;
  return (
    <>
      <dl class="kv">
        <dt>Account</dt>
        <dd data-telegram-username={status.telegramUsername ?? ""}>
          {status.telegramUsername ? `@${status.telegramUsername}` : "Linked"}
        </dd>
        {status.linkedAt ? (
          <>
            <dt>Linked</dt>
            <dd>{formatTime(status.linkedAt)}</dd>
          </>
        ) : null}
        <dt>Chat session</dt>
        <dd data-chat-session={chat?.walletId ?? ""}>
          {chat
            ? `Wallet ${wallet?.label ?? ""} (${shortAddress(chat.publicKey)}) until ${formatTime(chat.expiresAt)}`
            : "None: unlock a wallet, then use it in Telegram from the session bar."}
        </dd>
      </dl>
      <div class="actions">
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Unlink
        </button>
      </div>
      <UnlinkDialog open={confirming} onClose={() => setConfirming(false)} />
    </>
  );
}

/** Settings' Telegram section: whether the bot runs, the link to it, the chat's session. */
export function TelegramPanel() {
  const app = useApp();
  const status = app.telegram;
  const { reloadTelegram } = app;
  const [code, setCode] = useState<TelegramLinkCode | null>(null);
  const load = useAction(reloadTelegram);
  const linkCode = useAction(async () => {
    try {
      setCode(await api.telegramLinkCode());
    } catch (error) {
      // Linked meanwhile (from another tab): show that rather than a code.
      await reloadTelegram().catch(() => {});
      throw error;
    }
  });
  // Every visit reads it again: the bot may have linked or taken the session meanwhile.
  useEffect(() => {
    void load.run();
  }, [load.run]);
  const linked = status?.linked === true;
  useEffect(() => {
    if (!code || linked) return;
    const timer = setInterval(() => {
      if (Date.parse(code.expiresAt) <= Date.now()) setCode(null);
      else reloadTelegram().catch(() => {});
    }, LINK_POLL_MS);
    return () => clearInterval(timer);
  }, [code, linked, reloadTelegram]);
  useEffect(() => {
    if (linked) setCode(null);
  }, [linked]);
  const state = !status ? "loading" : linked ? "linked" : status.enabled ? "unlinked" : "off";
  return (
    <section class="card" aria-labelledby="telegram-title" data-telegram={state}>
      <h2 id="telegram-title">Telegram</h2>
      {!status ? (
        load.error ? (
          <ErrorNote error={load.error} />
        ) : (
          <p class="muted">Reading the link…</p>
        )
      ) : linked ? (
        <Linked status={status} />
      ) : !status.enabled ? (
        <p class="muted" role="note">
          {TELEGRAM_OFF}
        </p>
      ) : (
        <>
          <p class="muted">
            Link your Telegram account to trade from the chat
            {status.botUsername ? ` with @${status.botUsername}` : ""}. Passwords and keys never go
            through the chat: wallets are unlocked here.
          </p>
          {code ? <LinkCode code={code} botUsername={status.botUsername} /> : null}
          <ErrorNote error={linkCode.error} />
          <div class="actions">
            <ActionButton action={linkCode} busyLabel="Making a code…" class="primary">
              {code ? "New code" : "Link Telegram"}
            </ActionButton>
          </div>
        </>
      )}
    </section>
  );
}
