import { api } from "./api.js";
import { formatTime, shortAddress } from "./format.js";
import { useApp } from "./state.js";
import { isOpenedFromTelegram } from "./telegram-store.js";
import { ActionButton, ErrorNote, useAction } from "./ui.js";

/**
 * Handing the unlocked trading session to the linked Telegram chat (POST /v1/telegram/session):
 * the password is typed here, never in the chat. A tab the bot's link opened does it right
 * after the unlock; elsewhere a linked user presses "Use this session in Telegram".
 */
export function useTelegramHandoff() {
  const app = useApp();
  const share = useAction(async () => {
    const chatSession = await api.shareSessionWithTelegram();
    app.setTelegramChatSession(chatSession);
    app.announce(
      `Unlocked for your Telegram chat until ${formatTime(chatSession.expiresAt)}. You can close this tab.`,
    );
  });
  return {
    share,
    /** Called after each unlock in this tab. */
    afterUnlock() {
      if (isOpenedFromTelegram(app.me.id)) void share.run();
    },
  };
}

export type TelegramHandoff = ReturnType<typeof useTelegramHandoff>;

/** Under the session bar: the chat's hold on the open session, or the button that gives it. */
export function TelegramHandoffNotice(props: { handoff: TelegramHandoff }) {
  const app = useApp();
  const { share } = props.handoff;
  const session = app.session;
  const chat = app.telegram?.chatSession ?? null;
  // The bar re-renders every second (its countdown), so a lapsed hold disappears on time.
  const held =
    chat !== null &&
    session !== null &&
    chat.walletId === session.walletId &&
    Date.parse(chat.expiresAt) > Date.now();
  if (held && chat)
    return (
      <div class="telegram-handoff held" role="status" data-telegram-session={chat.walletId}>
        Unlocked for your Telegram chat until {formatTime(chat.expiresAt)} (
        {shortAddress(chat.publicKey)}). You can close this tab.
      </div>
    );
  const offer = session !== null && app.telegram?.linked === true;
  if (!offer && !share.error) return null;
  return (
    <div class="telegram-handoff">
      {offer ? (
        <ActionButton action={share} busyLabel="Handing over…" class="small">
          Use this session in Telegram
        </ActionButton>
      ) : null}
      <ErrorNote error={share.error} />
    </div>
  );
}
