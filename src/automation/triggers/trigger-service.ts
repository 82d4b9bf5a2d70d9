import type { Clock } from "../../core/clock.js";
import { isUuid, isWalletId, type UserId, type WalletId } from "../../core/ids.js";
import { OspreyError } from "../../core/osprey-error.js";
import type { TriggerListFilter } from "../../store/repositories/triggers-repository.js";
import type { Store } from "../../store/store.js";
import { type BuildTriggerDeps, buildTrigger } from "./build-trigger.js";
import { assertGrantAllows, type TriggerGrant } from "./trigger-checks.js";
import { type TriggerFiringLike, type TriggerJson, toTriggerJson } from "./trigger-json.js";
import { parseTriggerRequest } from "./trigger-request.js";
import type { TriggerRecord, TriggerType } from "./trigger-types.js";

export interface TriggerServiceDeps extends BuildTriggerDeps {
  readonly store: Pick<Store, "positions" | "triggers" | "wallets">;
  /** The wallets' automation grants (the grant service fits). */
  readonly grants: {
    readonly enabled: boolean;
    get(userId: UserId, walletId: WalletId): Promise<TriggerGrant | null>;
  };
  readonly clock: Clock;
  /** TRIGGER_DCA_MIN_INTERVAL_SECONDS. */
  readonly minDcaIntervalSeconds: number;
  /** Firings with their orders (the firings repository's, else the triggers repository's join). */
  listFirings?(triggerIds: readonly string[]): Promise<readonly TriggerFiringLike[]>;
  /** Every trigger a user's action created or changed, as its JSON (published as an event). */
  onTriggerChange?(userId: UserId, trigger: TriggerJson): Promise<void> | void;
  /** An announcement that failed: the trigger is written all the same. */
  onError?(error: unknown): void;
}

export interface TriggerService {
  /** Validates, checks grant, position and safety, and arms the trigger; nothing written on a refusal. */
  create(userId: UserId, body: unknown): Promise<TriggerRecord>;
  list(userId: UserId, filter?: TriggerListFilter): Promise<TriggerRecord[]>;
  /** TRIGGER_NOT_FOUND also for another user's trigger. */
  get(userId: UserId, id: string): Promise<TriggerRecord>;
  /** ARMED or PAUSED → CANCELLED; else TRIGGER_NOT_ACTIVE. */
  cancel(userId: UserId, id: string): Promise<TriggerRecord>;
  /** The triggers as JSON, with their orders and linked triggers. */
  toJson(triggers: readonly TriggerRecord[]): Promise<TriggerJson[]>;
  /** The grant callbacks' pass-throughs: each changed trigger is announced. */
  pauseForWallet(walletId: WalletId, reasonCode: string, reason: string): Promise<TriggerRecord[]>;
  resumeForWallet(
    walletId: WalletId,
    grant: { readonly orderTypes: readonly TriggerType[]; readonly expiresAt: number },
  ): Promise<TriggerRecord[]>;
}

export function createTriggerService(deps: TriggerServiceDeps): TriggerService {
  const { store, grants, clock } = deps;
  const listFirings = deps.listFirings ?? ((ids) => store.triggers.listFirings(ids));

  async function toJson(triggers: readonly TriggerRecord[]): Promise<TriggerJson[]> {
    const groups = [...new Set(triggers.flatMap((t) => (t.ocoGroup ? [t.ocoGroup] : [])))];
    const [firings, ...members] = await Promise.all([
      listFirings(triggers.map((t) => t.id)),
      ...groups.map((group) => store.triggers.listGroup(group)),
    ]);
    const linked = new Map(groups.map((group, i) => [group, (members[i] ?? []).map((t) => t.id)]));
    return triggers.map((t) => toTriggerJson(t, firings, t.ocoGroup ? linked.get(t.ocoGroup) : []));
  }

  async function announce(triggers: readonly TriggerRecord[]): Promise<void> {
    if (!deps.onTriggerChange || triggers.length === 0) return;
    for (const json of await toJson(triggers)) {
      const owner = triggers.find((t) => t.id === json.id);
      if (!owner) continue;
      try {
        await deps.onTriggerChange(owner.userId, json);
      } catch (error) {
        deps.onError?.(error);
      }
    }
  }

  async function get(userId: UserId, id: string): Promise<TriggerRecord> {
    const trigger = isUuid(id) ? await store.triggers.findForUser(userId, id) : undefined;
    if (!trigger) throw new OspreyError("TRIGGER_NOT_FOUND");
    return trigger;
  }

  return {
    async create(userId, body) {
      const now = clock.now();
      // Bad input is the caller's fault whatever the server's state: 400 before 503.
      const request = parseTriggerRequest(body, {
        minIntervalSeconds: deps.minDcaIntervalSeconds,
        now,
      });
      if (!grants.enabled) throw new OspreyError("AUTOMATION_DISABLED");
      // Another user's wallet and a missing one answer the same 404.
      const wallet = isWalletId(request.walletId)
        ? await store.wallets.findForUser(userId, request.walletId)
        : undefined;
      if (!wallet) throw new OspreyError("NOT_FOUND", "No such wallet.");
      const walletId = request.walletId as WalletId;
      const grant = await grants.get(userId, walletId);
      const expiresAt = request.expiresAt ?? grant?.expiresAt ?? now;
      assertGrantAllows(grant, request.type, expiresAt, now);
      const built = await buildTrigger(deps, { userId, grant, expiresAt, now }, request);
      const created = built.linkedTo
        ? await store.triggers.createLinked(built.input, built.linkedTo)
        : await store.triggers.create(built.input);
      if (!created)
        throw new OspreyError("TRIGGER_NOT_ACTIVE", "The linked trigger is no longer armed.");
      const partner = built.linkedTo ? await store.triggers.findById(built.linkedTo) : undefined;
      await announce(partner ? [created, partner] : [created]);
      return created;
    },

    list: (userId, filter = {}) => store.triggers.listForUser(userId, filter),

    get,

    async cancel(userId, id) {
      const existing = await get(userId, id);
      const cancelled = await store.triggers.cancel(
        userId,
        existing.id,
        "CANCELLED",
        "Cancelled by the user.",
      );
      if (!cancelled) {
        const now = await get(userId, id);
        throw new OspreyError("TRIGGER_NOT_ACTIVE", `The trigger is ${now.status}, not armed.`, {
          status: now.status,
        });
      }
      await announce([cancelled]);
      return cancelled;
    },

    toJson,

    async pauseForWallet(walletId, reasonCode, reason) {
      const paused = await store.triggers.pauseForWallet(walletId, reasonCode, reason);
      await announce(paused);
      return paused;
    },

    async resumeForWallet(walletId, grant) {
      const resumed = await store.triggers.resumeForWallet(walletId, grant);
      await announce(resumed);
      return resumed;
    },
  };
}
