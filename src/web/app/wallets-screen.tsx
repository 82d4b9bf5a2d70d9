import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import {
  ApiError,
  api,
  newIdempotencyKey,
  type TokenBalance,
  type Wallet,
  type Withdrawal,
} from "./api.js";
import { ActionForm, PasswordField, TextField } from "./form.js";
import { formatSol, formatTime, formatUnits, parseUnits, shortAddress } from "./format.js";
import { GrantPanel } from "./grant-panel.js";
import { explorerLink } from "./orders-screen.js";
import { QrCode } from "./qr-code.js";
import { useApp } from "./state.js";
import { DataTable } from "./table.js";
import { useTokenInfo } from "./token-info.js";
import {
  ActionButton,
  CopyButton,
  Dialog,
  ErrorNote,
  Field,
  Screen,
  StatusBadge,
  useAction,
} from "./ui.js";
import { withSession } from "./with-session.js";

function parseSecretKey(text: string): string | number[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed as number[];
    } catch {
      // Sent as text: the server names what is wrong with it.
    }
  }
  return trimmed;
}

function NewWallet() {
  const app = useApp();
  const [mode, setMode] = useState<"create" | "import">("create");
  const [label, setLabel] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [secret, setSecret] = useState("");
  const action = useAction(async () => {
    if (password !== confirm)
      throw new ApiError("PASSWORDS_DIFFER", "The two passwords differ", 400);
    const made =
      mode === "create"
        ? await api.createWallet(password, label.trim() || undefined)
        : await api.importWallet(password, parseSecretKey(secret), label.trim() || undefined);
    setPassword("");
    setConfirm("");
    setSecret("");
    setLabel("");
    await app.reloadWallets();
    app.announce(
      `Wallet ${shortAddress(made.publicKey)} ${mode === "create" ? "created" : "imported"}.`,
    );
  });
  return (
    <section class="card new-wallet" aria-labelledby="new-wallet-title">
      <h2 id="new-wallet-title">{mode === "create" ? "Create a wallet" : "Import a wallet"}</h2>
      <fieldset class="tabs">
        <legend class="sr-only">Create or import</legend>
        <button type="button" aria-pressed={mode === "create"} onClick={() => setMode("create")}>
          Create
        </button>
        <button type="button" aria-pressed={mode === "import"} onClick={() => setMode("import")}>
          Import
        </button>
      </fieldset>
      <ActionForm
        action={action}
        busyLabel={mode === "create" ? "Creating wallet…" : "Importing…"}
        submit={mode === "create" ? "Create wallet" : "Import wallet"}
        buttonClass="primary"
      >
        <TextField
          label="Label (optional)"
          id="wallet-label"
          maxLength={64}
          value={label}
          onValue={setLabel}
        />
        {mode === "import" ? (
          <Field
            label="Secret key"
            hint="Base58, or the JSON array of 64 numbers from solana-keygen."
          >
            <textarea
              id="wallet-secret"
              required
              rows={3}
              autocomplete="off"
              spellcheck={false}
              value={secret}
              onInput={(event) => setSecret(event.currentTarget.value)}
            />
          </Field>
        ) : null}
        <PasswordField
          label="Wallet password"
          hint="At least 10 characters; it encrypts the key and unlocks trading."
          id="wallet-password"
          autocomplete="new-password"
          value={password}
          onValue={setPassword}
        />
        <PasswordField
          label="Repeat the password"
          id="wallet-password-again"
          autocomplete="new-password"
          value={confirm}
          onValue={setConfirm}
        />
      </ActionForm>
    </section>
  );
}

function DepositDialog(props: { wallet: Wallet; open: boolean; onClose(): void }) {
  return (
    <Dialog title={`Deposit to ${props.wallet.label}`} open={props.open} onClose={props.onClose}>
      <p>Send SOL or tokens to this address:</p>
      <p class="mono address" data-deposit-address>
        {props.wallet.publicKey}
      </p>
      <CopyButton text={props.wallet.publicKey} label="Copy address" />
      <QrCode
        text={props.wallet.publicKey}
        label={`QR code of the address ${props.wallet.publicKey}`}
      />
    </Dialog>
  );
}

function ExportDialog(props: { wallet: Wallet; open: boolean; onClose(): void }) {
  const [password, setPassword] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [revealed, setRevealed] = useState(false);
  const action = useAction(async () => {
    const answer = await api.exportWallet(props.wallet.id, password);
    setPassword("");
    setSecret(answer.secretKey);
  });
  const close = () => {
    setSecret(null);
    setRevealed(false);
    setPassword("");
    props.onClose();
  };
  return (
    <Dialog title={`Export the key of ${props.wallet.label}`} open={props.open} onClose={close}>
      <p class="warning" role="note">
        <strong>Warning:</strong> anyone who sees this key owns every coin in the wallet. Never
        paste it into a website or share it; Osprey staff will never ask for it. The export is
        recorded in your audit log.
      </p>
      {secret === null ? (
        <ActionForm
          action={action}
          busyLabel="Decrypting…"
          submit="Export key"
          buttonClass="danger"
        >
          <PasswordField
            label="Wallet password"
            id="export-password"
            autocomplete="current-password"
            value={password}
            onValue={setPassword}
          />
        </ActionForm>
      ) : (
        <div>
          {revealed ? (
            <p class="mono secret" data-secret>
              {secret}
            </p>
          ) : (
            <p class="secret hidden-secret">
              <span aria-hidden="true">••••••••••••••••••••••••••••••••</span>
              <span class="sr-only">The key is hidden until you reveal it.</span>
            </p>
          )}
          <div class="actions">
            <button type="button" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
              {revealed ? "Hide" : "Reveal"}
            </button>
            <CopyButton text={secret} label="Copy key" />
          </div>
        </div>
      )}
    </Dialog>
  );
}

function WithdrawRow(props: { withdrawal: Withdrawal; decimals: number; symbol: string }) {
  const app = useApp();
  const { withdrawal } = props;
  const link = withdrawal.signature
    ? explorerLink(app.meta?.explorerUrl, app.meta?.cluster, withdrawal.signature)
    : null;
  return (
    <tr data-withdrawal-id={withdrawal.id} data-status={withdrawal.status}>
      <td>
        <StatusBadge status={withdrawal.status} />
      </td>
      <td class="num">
        {formatUnits(withdrawal.amount, props.decimals)} {props.symbol}
      </td>
      <td class="mono">{shortAddress(withdrawal.to)}</td>
      <td>{formatTime(withdrawal.createdAt)}</td>
      <td>
        {withdrawal.error ? <span class="error-text">{withdrawal.error}</span> : null}
        {link ? (
          <a href={link} target="_blank" rel="noreferrer noopener">
            Explorer
          </a>
        ) : null}
      </td>
    </tr>
  );
}

function WithdrawDialog(props: { wallet: Wallet; open: boolean; onClose(): void }) {
  const app = useApp();
  const { wallet } = props;
  const [asset, setAsset] = useState("SOL");
  const [to, setTo] = useState("");
  const [amountText, setAmountText] = useState("");
  const keyRef = useRef<{ signature: string; key: string } | null>(null);
  const token = wallet.tokens?.find((item) => item.mint === asset);
  const decimals = asset === "SOL" ? 9 : (token?.decimals ?? 0);
  const action = useAction(async () => {
    const amount = parseUnits(amountText, decimals);
    if (!amount) throw new ApiError("INVALID_AMOUNT", "Type an amount above zero", 400);
    const body = {
      to: to.trim(),
      amount: amount.toString(),
      ...(asset === "SOL" ? {} : { mint: asset }),
    };
    const signature = JSON.stringify(body);
    if (keyRef.current?.signature !== signature)
      keyRef.current = { signature, key: newIdempotencyKey() };
    const key = keyRef.current.key;
    try {
      const withdrawal = await withSession(
        app,
        wallet.id,
        `Unlock ${wallet.label} to withdraw.`,
        () => api.withdraw(wallet.id, body, key),
      );
      keyRef.current = null;
      app.upsertWithdrawal(withdrawal);
      app.announce(`Withdrawal ${withdrawal.status.toLowerCase()}.`);
      setAmountText("");
      void app.reloadWallets();
    } catch (error) {
      if (error instanceof ApiError && error.status > 0 && error.status < 500)
        keyRef.current = null;
      throw error;
    }
  });
  const available =
    asset === "SOL"
      ? `${formatSol(wallet.solLamports ?? null, 9)} SOL`
      : token
        ? formatUnits(token.amount, token.decimals, 9)
        : "—";
  return (
    <Dialog title={`Withdraw from ${wallet.label}`} open={props.open} onClose={props.onClose}>
      <ActionForm
        action={action}
        busyLabel="Sending…"
        submit="Withdraw"
        buttonClass="primary"
        errorId="withdraw-error"
      >
        <Field label="Asset">
          <select
            id="withdraw-asset"
            value={asset}
            onChange={(event) => setAsset(event.currentTarget.value)}
          >
            <option value="SOL">SOL</option>
            {(wallet.tokens ?? [])
              .filter((item) => item.amount !== "0")
              .map((item) => (
                <TokenOption key={item.mint} token={item} />
              ))}
          </select>
        </Field>
        <TextField
          label="To address"
          id="withdraw-to"
          required
          autocomplete="off"
          spellcheck={false}
          value={to}
          onValue={setTo}
        />
        <TextField
          label={`Amount (${asset === "SOL" ? "SOL" : "tokens"})`}
          hint={`Available: ${available}`}
          id="withdraw-amount"
          inputMode="decimal"
          required
          autocomplete="off"
          value={amountText}
          onValue={setAmountText}
        />
      </ActionForm>
    </Dialog>
  );
}

function Withdrawals(props: { wallet: Wallet }) {
  const app = useApp();
  const [loaded, setLoaded] = useState(false);
  const { upsertWithdrawal } = app;
  useEffect(() => {
    api
      .withdrawals(props.wallet.id)
      .then((answer) => {
        for (const withdrawal of answer.withdrawals) upsertWithdrawal(withdrawal);
      })
      .catch(() => {})
      .finally(() => setLoaded(true));
  }, [props.wallet.id, upsertWithdrawal]);
  const list = Object.values(app.withdrawals)
    .filter((withdrawal) => withdrawal.walletId === props.wallet.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!loaded && list.length === 0) return null;
  if (list.length === 0) return null;
  return (
    <details class="withdrawals" open>
      <summary>Withdrawals ({list.length})</summary>
      <DataTable compact columns={["Status", "Amount", "To", "Sent", "Detail"]}>
        {list.map((withdrawal) => {
          const token = props.wallet.tokens?.find((item) => item.mint === withdrawal.mint);
          const decimals = withdrawal.mint === null ? 9 : (token?.decimals ?? 0);
          return (
            <WithdrawRow
              key={withdrawal.id}
              withdrawal={withdrawal}
              decimals={decimals}
              symbol={withdrawal.mint === null ? "SOL" : shortAddress(withdrawal.mint)}
            />
          );
        })}
      </DataTable>
    </details>
  );
}

function TokenBalanceRow(props: { token: TokenBalance }) {
  const { token } = props;
  const info = useTokenInfo(token.mint);
  return (
    <Fragment>
      <dt>
        <a href={`#/token/${token.mint}`}>{info?.symbol ?? shortAddress(token.mint)}</a>
      </dt>
      <dd data-token-mint={token.mint} data-token-amount={token.amount}>
        {formatUnits(token.amount, token.decimals, 9)}
      </dd>
    </Fragment>
  );
}

function TokenOption(props: { token: TokenBalance }) {
  const info = useTokenInfo(props.token.mint);
  return (
    <option value={props.token.mint}>
      {info?.symbol ?? shortAddress(props.token.mint)} (
      {formatUnits(props.token.amount, props.token.decimals)})
    </option>
  );
}

function WalletCard(props: { wallet: Wallet }) {
  const app = useApp();
  const { wallet } = props;
  const [dialog, setDialog] = useState<"deposit" | "export" | "withdraw" | null>(null);
  const faucet = useAction(async () => {
    const answer = await api.faucet(wallet.id);
    await app.reloadWallets();
    app.announce(`Faucet sent ${formatSol(answer.lamports)} SOL.`);
  });
  const unlocked = app.session?.walletId === wallet.id;
  const tokens = (wallet.tokens ?? []).filter((token) => token.amount !== "0");
  return (
    <article
      class="card wallet"
      data-wallet-id={wallet.id}
      data-public-key={wallet.publicKey}
      aria-labelledby={`wallet-${wallet.id}`}
    >
      <header class="wallet-head">
        <h2 id={`wallet-${wallet.id}`}>
          {wallet.label} {unlocked ? <span class="badge ok">Unlocked</span> : null}
          {!wallet.active ? <span class="badge">Deactivated</span> : null}
        </h2>
        <p class="mono muted">
          {wallet.publicKey} <CopyButton text={wallet.publicKey} label="Copy address" />
        </p>
      </header>
      <dl class="kv balances">
        <dt>SOL</dt>
        <dd data-sol-lamports={wallet.solLamports ?? ""}>
          {wallet.solLamports === null || wallet.solLamports === undefined
            ? wallet.balancesError
              ? `unknown (${wallet.balancesError})`
              : "—"
            : `${formatSol(wallet.solLamports, 9)} SOL`}
        </dd>
        {tokens.map((token) => (
          <TokenBalanceRow key={token.mint} token={token} />
        ))}
      </dl>
      <div class="actions">
        <button type="button" onClick={() => setDialog("deposit")}>
          Deposit
        </button>
        <button type="button" onClick={() => setDialog("withdraw")}>
          Withdraw
        </button>
        <button type="button" onClick={() => setDialog("export")}>
          Export key
        </button>
        {app.meta?.faucet ? (
          <ActionButton action={faucet} busyLabel="Requesting airdrop…">
            Faucet: get 2 SOL
          </ActionButton>
        ) : null}
      </div>
      <ErrorNote error={faucet.error} />
      <GrantPanel wallet={wallet} />
      <Withdrawals wallet={wallet} />
      <DepositDialog wallet={wallet} open={dialog === "deposit"} onClose={() => setDialog(null)} />
      <ExportDialog wallet={wallet} open={dialog === "export"} onClose={() => setDialog(null)} />
      <WithdrawDialog
        wallet={wallet}
        open={dialog === "withdraw"}
        onClose={() => setDialog(null)}
      />
    </article>
  );
}

export function WalletsScreen() {
  const app = useApp();
  return (
    <Screen id="wallets" title="Wallets">
      <ErrorNote error={app.walletsError ? new Error(app.walletsError) : null} />
      <div class="wallet-grid">
        <div class="wallet-list">
          {app.wallets === null ? <p class="muted">Loading wallets…</p> : null}
          {app.wallets?.length === 0 ? (
            <p class="muted">No wallet yet. Create one to start.</p>
          ) : null}
          {app.wallets?.map((wallet) => (
            <WalletCard key={wallet.id} wallet={wallet} />
          ))}
        </div>
        <NewWallet />
      </div>
    </Screen>
  );
}
