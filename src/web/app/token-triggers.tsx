import { useState } from "preact/hooks";
import type { SafetyReport } from "./api.js";
import { grantRefusal, type TriggerType } from "./automation-api.js";
import { LimitBuyForm } from "./buy-trigger-forms.js";
import { DcaForm } from "./dca-form.js";
import { formatSol } from "./format.js";
import { useApp } from "./state.js";
import { TriggerTable } from "./trigger-table.js";
import { Field } from "./ui.js";
import { useWalletAutomation } from "./wallet-automation.js";

export interface BuyTriggerContext {
  walletId: string;
  mint: string;
  symbol: string;
  report: SafetyReport | null;
  /** Why this form cannot arm anything now (no grant, type not allowed, blocked token). */
  reasons: string[];
}

/** On the token page: a limit buy or a DCA for one of the user's wallets. */
export function TokenAutomation(props: {
  mint: string;
  symbol: string;
  report: SafetyReport | null;
  priceUsd: number | null;
}) {
  const app = useApp();
  const wallets = (app.wallets ?? []).filter((wallet) => wallet.active);
  const [chosen, setChosen] = useState("");
  const walletId = chosen || app.session?.walletId || wallets[0]?.id || "";
  const { automation, error } = useWalletAutomation(walletId || null);
  const [kind, setKind] = useState<"limit_buy" | "dca">("limit_buy");
  const reasonsFor = (type: TriggerType) => {
    const reasons: string[] = [];
    if (!walletId) reasons.push("Create a wallet first (Wallets).");
    else if (!error) {
      const refusal = grantRefusal(automation, type);
      if (refusal) reasons.push(refusal);
    }
    if (props.report?.verdict === "block")
      reasons.push("The safety report blocks this token: automation will not buy it either.");
    return reasons;
  };
  const grant = automation?.grant?.status === "ACTIVE" ? automation.grant : null;
  const context = (type: TriggerType): BuyTriggerContext => ({
    walletId,
    mint: props.mint,
    symbol: props.symbol,
    report: props.report,
    reasons: reasonsFor(type),
  });
  return (
    <section class="card trade automation-panel" aria-labelledby="automation-title">
      <h2 id="automation-title">Standing buy of {props.symbol}</h2>
      {wallets.length > 1 ? (
        <Field label="Wallet">
          <select
            id="automation-wallet"
            value={walletId}
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            {wallets.map((wallet) => (
              <option key={wallet.id} value={wallet.id}>
                {wallet.label}
              </option>
            ))}
          </select>
        </Field>
      ) : null}
      {grant ? (
        <p class="muted small" data-grant-limit={grant.maxOrderLamports}>
          Grant: at most {formatSol(grant.maxOrderLamports, 9)} SOL per order,{" "}
          {formatSol(grant.maxDailyLamports, 9)} SOL a day.
        </p>
      ) : null}
      {error ? <p class="error-text small">The wallet's grant could not be read.</p> : null}
      <fieldset class="tabs">
        <legend class="sr-only">Kind of order</legend>
        <button
          type="button"
          aria-pressed={kind === "limit_buy"}
          onClick={() => setKind("limit_buy")}
        >
          Limit buy
        </button>
        <button type="button" aria-pressed={kind === "dca"} onClick={() => setKind("dca")}>
          DCA
        </button>
      </fieldset>
      {kind === "limit_buy" ? (
        <LimitBuyForm context={context("limit_buy")} priceUsd={props.priceUsd} />
      ) : (
        <DcaForm context={context("dca")} />
      )}
    </section>
  );
}

/** The token's standing orders, when it has any. */
export function TokenTriggers(props: { mint: string; symbol: string }) {
  const app = useApp();
  const triggers = (app.triggers ?? []).filter((trigger) => trigger.mint === props.mint);
  if (triggers.length === 0) return null;
  return (
    <section class="card token-triggers" aria-labelledby="token-triggers-title">
      <h2 id="token-triggers-title">Standing orders on {props.symbol}</h2>
      <TriggerTable triggers={triggers} empty="None." />
      <p class="small">
        <a href="#/triggers">All standing orders</a>
      </p>
    </section>
  );
}
