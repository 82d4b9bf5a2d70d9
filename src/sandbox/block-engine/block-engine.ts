import type { Address } from "@solana/kit";
import type { DecodedTransaction } from "../chain/decoded-transaction.js";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import type { TransactionErrorJson } from "../chain/transaction-error.js";
import type { SendLog, SendRoute } from "../faults/send-log.js";
import { getBundleId } from "./bundle-id.js";
import { BundleRefusal, checkBundle } from "./bundle-rules.js";
import { createTipFloor, type TipFloor } from "./tip-floor.js";

/** Jito's `getInflightBundleStatuses` states. */
export type InflightStatus = "Pending" | "Landed" | "Failed" | "Invalid";

interface BundleEntry {
  readonly id: string;
  readonly signatures: readonly string[];
  /** Until it ran: the decoded transactions (then dropped, statuses need the signatures only). */
  txs: readonly DecodedTransaction[] | null;
  readonly tipLamports: bigint;
  receivedAt: number;
  state:
    | { kind: "pending" }
    | { kind: "landed"; slot: bigint }
    | { kind: "failed"; err: TransactionErrorJson };
}

export interface BundleStatus {
  bundle_id: string;
  transactions: string[];
  slot: bigint;
  confirmation_status: "processed" | "confirmed" | "finalized";
  err: { Ok: null };
}

export interface InflightBundleStatus {
  bundle_id: string;
  status: InflightStatus;
  landed_slot: bigint | null;
}

export interface BlockEngine {
  readonly tipAccounts: readonly Address[];
  readonly tipFloor: TipFloor;
  /**
   * Takes a bundle (decoded, signatures already verified): checks Jito's rules (throws
   * `BundleRefusal`), queues it for the next block, and returns its id. Sending the same bundle
   * again while it waits or after it landed changes nothing; after it failed, it is retried.
   */
  submitBundle(txs: readonly DecodedTransaction[], route: SendRoute, method: string): string;
  /** Jito's getBundleStatuses: landed bundles only, null for the rest. */
  getBundleStatuses(ids: readonly string[]): (BundleStatus | null)[];
  getInflightBundleStatuses(ids: readonly string[]): InflightBundleStatus[];
  close(): void;
}

export interface BlockEngineOptions {
  chain: SandboxChain;
  tipAccounts: readonly Address[];
  sendLog?: SendLog;
}

/** Bundles remembered for statuses; past this the oldest go. */
const MAX_TRACKED = 100_000;
/** getInflightBundleStatuses looks back five minutes, as Jito's does. */
const INFLIGHT_WINDOW_MS = 5 * 60_000;

/**
 * The sandbox's block engine: accepted bundles wait for the next slot and then land atomically
 * through the chain's bundle path (`landBundle`), in arrival order, before anything else that
 * slot. Public-endpoint faults never touch it.
 */
export function createBlockEngine(options: BlockEngineOptions): BlockEngine {
  const { chain, sendLog } = options;
  const tips = new Set<Address>(options.tipAccounts);
  const tipFloor = createTipFloor(chain.now);
  const bundles = new Map<string, BundleEntry>();
  let queue: BundleEntry[] = [];

  const remember = (entry: BundleEntry) => {
    bundles.delete(entry.id);
    bundles.set(entry.id, entry);
    if (bundles.size > MAX_TRACKED) {
      const oldest = bundles.keys().next().value;
      if (oldest !== undefined) bundles.delete(oldest);
    }
  };
  const runQueued = () => {
    const due = queue;
    queue = [];
    for (const entry of due) {
      const result = chain.landBundle(entry.txs ?? []);
      entry.txs = null;
      if (result.landed) {
        entry.state = { kind: "landed", slot: result.slot };
        tipFloor.record(entry.tipLamports);
      } else {
        entry.state = { kind: "failed", err: result.err };
      }
    }
  };
  const offSlot = chain.onSlot(runQueued);

  const confirmation = (slot: bigint): BundleStatus["confirmation_status"] =>
    slot <= chain.getSlot("finalized")
      ? "finalized"
      : slot <= chain.getSlot("confirmed")
        ? "confirmed"
        : "processed";

  return {
    tipAccounts: options.tipAccounts,
    tipFloor,
    submitBundle(txs, route, method) {
      const record = (dropped: boolean, error?: string) => {
        for (const tx of txs) {
          sendLog?.record({
            route,
            method,
            signature: tx.signature,
            dropped,
            ...(error === undefined ? {} : { error }),
          });
        }
      };
      let tipLamports: bigint;
      try {
        ({ tipLamports } = checkBundle(txs, tips));
      } catch (error) {
        if (error instanceof BundleRefusal) record(true, error.message);
        throw error;
      }
      record(false);
      const id = getBundleId(txs.map((tx) => tx.signature));
      const known = bundles.get(id);
      if (known && known.state.kind !== "failed") return id;
      const entry: BundleEntry = {
        id,
        signatures: txs.map((tx) => tx.signature),
        txs,
        tipLamports,
        receivedAt: chain.now(),
        state: { kind: "pending" },
      };
      remember(entry);
      queue.push(entry);
      return id;
    },
    getBundleStatuses(ids) {
      return ids.map((id) => {
        const entry = bundles.get(id);
        if (entry?.state.kind !== "landed") return null;
        return {
          bundle_id: id,
          transactions: [...entry.signatures],
          slot: entry.state.slot,
          confirmation_status: confirmation(entry.state.slot),
          err: { Ok: null },
        };
      });
    },
    getInflightBundleStatuses(ids) {
      const since = chain.now() - INFLIGHT_WINDOW_MS;
      return ids.map((id) => {
        const entry = bundles.get(id);
        if (!entry || entry.receivedAt < since) {
          return { bundle_id: id, status: "Invalid", landed_slot: null };
        }
        const { state } = entry;
        switch (state.kind) {
          case "pending":
            return { bundle_id: id, status: "Pending", landed_slot: null };
          case "landed":
            return { bundle_id: id, status: "Landed", landed_slot: state.slot };
          case "failed":
            return { bundle_id: id, status: "Failed", landed_slot: null };
          default:
            return state satisfies never;
        }
      });
    },
    close() {
      offSlot();
      queue = [];
    },
  };
}
