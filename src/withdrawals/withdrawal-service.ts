import {
  getBase64EncodedWireTransaction,
  getSignatureFromTransaction,
  address as toKitAddress,
} from "@solana/kit";
import type { ChainClient } from "../chain/chain-client.js";
import type { Clock } from "../core/clock.js";
import { ERROR_CODES, isErrorExposed } from "../core/error-codes.js";
import type { UserId, WalletId } from "../core/ids.js";
import type { Logger } from "../core/logger.js";
import { isOspreyError, OspreyError } from "../core/osprey-error.js";
import { waitAtMost } from "../core/wait-at-most.js";
import { isTerminalWithdrawalStatus } from "../core/withdrawal-status.js";
import type { WalletRecord } from "../store/repositories/wallets-repository.js";
import type { WithdrawalRecord } from "../store/repositories/withdrawals-repository.js";
import type { Store } from "../store/store.js";
import { write } from "../store/write-or-unavailable.js";
import { createSessionSigner, type SessionSigner } from "../wallet/session-signer.js";
import type { SessionManager } from "../wallet/session-types.js";
import type { WithdrawalAuditAction } from "../wallet/wallet-audit-event.js";
import { type PlannedWithdrawal, planWithdrawal } from "./plan-withdrawal.js";
import { createWithdrawalSettler } from "./settle-withdrawal.js";
import { getWithdrawalRequestHash, parseWithdrawalRequest } from "./withdrawal-request.js";
import { getWithdrawalSources } from "./withdrawal-transitions.js";

export interface WithdrawalServiceOptions {
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly chain: Pick<ChainClient, "rpc" | "lander" | "blockhashes">;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every status change, for the event stream (never awaited; its failures are logged). */
  readonly onChange?: (withdrawal: WithdrawalRecord) => void;
  /** How long a new withdrawal's request waits for a final status (default 5 s). */
  readonly waitMs?: number;
  /** Test seam: false skips landing after SIGNED, as if the process died right there. */
  readonly shouldLand?: (withdrawal: WithdrawalRecord) => boolean;
}

export interface RequestWithdrawalInput {
  readonly userId: UserId;
  readonly wallet: WalletRecord;
  readonly sessionToken: string;
  readonly idempotencyKey: string;
  readonly body: unknown;
  readonly ip?: string;
}

export interface RequestedWithdrawal {
  readonly withdrawal: WithdrawalRecord;
  /** False when the idempotency key named an existing withdrawal, returned as it is now. */
  readonly created: boolean;
}

function sign(signer: SessionSigner, planned: PlannedWithdrawal) {
  const { transaction } = planned;
  const ours = signer.signNow(transaction.messageBytes as unknown as Uint8Array);
  const signed = {
    ...transaction,
    signatures: { ...transaction.signatures, [signer.address]: ours },
  };
  return {
    transaction: getBase64EncodedWireTransaction(signed),
    signature: getSignatureFromTransaction(signed) as string,
  };
}

/**
 * The write-ahead withdrawal flow (src/withdrawals/README.md): validate and read the chain with
 * nothing written; PENDING (idempotency key unique per user); sign; SIGNED with the bytes,
 * durably, before the first send; land with the chain's lander; the chain decides the rest.
 */
export function createWithdrawalService(options: WithdrawalServiceOptions) {
  const { store, sessions, chain, logger } = options;
  const waitMs = options.waitMs ?? 5_000;
  const onChange = (withdrawal: WithdrawalRecord) => {
    try {
      options.onChange?.(withdrawal);
    } catch (error) {
      logger.warn({ err: error, withdrawalId: withdrawal.id }, "withdrawal listener failed");
    }
    if (isTerminalWithdrawalStatus(withdrawal.status))
      audit(
        withdrawal,
        `withdrawal.${withdrawal.status.toLowerCase()}` as WithdrawalAuditAction,
      ).catch((error: unknown) =>
        logger.warn({ err: error, withdrawalId: withdrawal.id }, "withdrawal outcome not audited"),
      );
  };
  const settler = createWithdrawalSettler({ store, chain, logger, onChange });

  function audit(
    withdrawal: WithdrawalRecord,
    action: WithdrawalAuditAction,
    ip?: string,
  ): Promise<void> {
    return store.audit.record({
      userId: withdrawal.userId,
      action,
      targetType: "withdrawal",
      targetId: withdrawal.id,
      ...(ip ? { ip } : {}),
      detail: {
        walletId: withdrawal.walletId,
        to: withdrawal.destination,
        mint: withdrawal.mint,
        amount: withdrawal.amount.toString(),
        status: withdrawal.status,
        ...(withdrawal.signature ? { signature: withdrawal.signature } : {}),
      },
    });
  }

  function sameOrConflict(existing: WithdrawalRecord, requestHash: string): RequestedWithdrawal {
    if (existing.requestHash !== requestHash)
      throw new OspreyError(
        "IDEMPOTENCY_CONFLICT",
        "This idempotency key was already used for a withdrawal with other parameters.",
        { withdrawalId: existing.id },
      );
    return { withdrawal: existing, created: false };
  }

  async function reject(withdrawal: WithdrawalRecord, error: unknown): Promise<void> {
    const code = isOspreyError(error) ? error.code : "INTERNAL";
    const message =
      isOspreyError(error) && isErrorExposed(code) ? error.message : ERROR_CODES[code].message;
    try {
      const moved = await store.withdrawals.transition(
        withdrawal.id,
        getWithdrawalSources("REJECTED"),
        "REJECTED",
        { error: message },
        { code },
      );
      if (moved) onChange(moved);
    } catch (cause) {
      // Unsigned, so harmless: the reconciler rejects it after its grace period.
      logger.warn({ err: cause, withdrawalId: withdrawal.id }, "could not record a rejection");
    }
  }

  async function requestWithdrawal(input: RequestWithdrawalInput): Promise<RequestedWithdrawal> {
    const { wallet } = input;
    const request = parseWithdrawalRequest(input.body);
    if (request.to === wallet.publicKey) throw new OspreyError("WITHDRAW_TO_SELF");
    const requestHash = getWithdrawalRequestHash(wallet.id as WalletId, request);
    // A retry is answered before the session is needed: it may come after a restart lost it.
    const prior = await write(() =>
      store.withdrawals.findByIdempotencyKey(input.userId, input.idempotencyKey),
    );
    if (prior) return sameOrConflict(prior, requestHash);
    const signer = await sessions.withKey(input.sessionToken, input.userId, async (key) => {
      if (key.walletId !== wallet.id) throw new OspreyError("SESSION_WALLET_MISMATCH");
      return createSessionSigner(key);
    });
    const planned = await planWithdrawal(chain, toKitAddress(wallet.publicKey), request);

    const { withdrawal, created } = await write(() =>
      store.withdrawals.createPending({
        userId: input.userId,
        walletId: wallet.id as WalletId,
        destination: request.to,
        mint: request.mint,
        amount: request.amount,
        idempotencyKey: input.idempotencyKey,
        requestHash,
        detail: {
          expectedFeeLamports: planned.expectedFeeLamports.toString(),
          createsTokenAccount: planned.createsTokenAccount,
          ...(planned.tokenProgram ? { tokenProgram: planned.tokenProgram } : {}),
        },
      }),
    );
    if (!created) return sameOrConflict(withdrawal, requestHash);
    onChange(withdrawal);

    let signedRecord: WithdrawalRecord | undefined;
    try {
      // Recorded before the key signs: a withdrawal that cannot be audited does not happen.
      await write(() => audit(withdrawal, "withdrawal.request", input.ip));
      const signed = sign(signer, planned);
      // Stored, durably, before the first send: after a crash the reconciler has the exact bytes.
      signedRecord = await write(() =>
        store.database.durably(() =>
          store.withdrawals.transition(withdrawal.id, ["PENDING"], "SIGNED", {
            signature: signed.signature,
            rawTransaction: signed.transaction,
            lastValidBlockHeight: Number(planned.lastValidBlockHeight),
          }),
        ),
      );
      if (!signedRecord)
        throw new OspreyError(
          "CONFLICT",
          "The withdrawal was closed before it was signed; nothing was sent.",
        );
    } catch (error) {
      await reject(withdrawal, error);
      throw error;
    }
    onChange(signedRecord);
    if (options.shouldLand?.(signedRecord) === false)
      return { withdrawal: signedRecord, created: true };
    const settling = settler.settle(signedRecord, "land").catch((error: unknown) => {
      logger.warn(
        { err: error, withdrawalId: withdrawal.id },
        "landing interrupted; the reconciler resumes it",
      );
      return undefined;
    });
    const final = await waitAtMost(settling, waitMs);
    return {
      withdrawal: final ?? (await store.withdrawals.findById(withdrawal.id)) ?? signedRecord,
      created: true,
    };
  }

  return {
    requestWithdrawal,
    settler,
    onChange,
    get: (userId: UserId, id: string) => store.withdrawals.findForUser(userId, id),
    list: (userId: UserId, walletId: WalletId, limit?: number) =>
      store.withdrawals.listForWallet(userId, walletId, limit),
    /** Waits for landings in flight to stop (close the chain client first). */
    drain: () => settler.drain(),
  };
}

export type WithdrawalService = ReturnType<typeof createWithdrawalService>;
