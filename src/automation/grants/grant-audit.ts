import type { Store } from "../../store/store.js";
import type { AutomationAuditAction } from "../../wallet/wallet-audit-event.js";
import type { GrantRecord } from "./grant-types.js";

export type GrantAudit = (
  action: AutomationAuditAction,
  grant: Pick<GrantRecord, "id" | "userId" | "walletId">,
  detail?: Record<string, string | number | boolean>,
) => Promise<void>;

/** Writes a grant's audit entries: ids and limits only, never the password, key or sealed box. */
export function createGrantAudit(store: Pick<Store, "audit">): GrantAudit {
  return (action, grant, detail = {}) =>
    store.audit.record({
      userId: grant.userId,
      action,
      targetType: "wallet",
      targetId: grant.walletId,
      detail: { outcome: "ok", grantId: grant.id, ...detail },
    });
}
