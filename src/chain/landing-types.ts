import type { Signature, TransactionError } from "@solana/kit";
import type { InflightStatus } from "./jito-client.js";
import type { LandingRoutePolicy } from "./landing-routes.js";

export interface LandingRequest {
  /** The signed transaction's wire bytes, base64. Sent as-is, never re-signed. */
  readonly transaction: string;
  readonly lastValidBlockHeight: bigint;
  /**
   * "public" (default): every healthy RPC endpoint and every private route. "protected" (MEV
   * protection): private routes only (block engines, senders), never a public RPC endpoint, not
   * even for the preflight; MEV_PROTECTION_UNAVAILABLE when none is configured, nothing sent.
   */
  readonly route?: LandingRoutePolicy;
  /** Stops tracking (not the transaction, which may still land). */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: LandingEvent) => void;
}

export type LandingEvent =
  | {
      readonly kind: "first-send";
      readonly signature: Signature;
      readonly at: number;
      readonly endpoints: number;
    }
  | {
      readonly kind: "rebroadcast";
      readonly signature: Signature;
      readonly at: number;
      readonly attempt: number;
      readonly endpoints: number;
    }
  | {
      readonly kind: "processed";
      readonly signature: Signature;
      readonly at: number;
      readonly slot: bigint;
    }
  /**
   * After the landing ended: what a block engine says of a bundle it accepted (reporting only;
   * outcomes come from the RPC pool's signature statuses). "unknown" when it could not tell.
   */
  | {
      readonly kind: "bundle-status";
      readonly signature: Signature;
      readonly at: number;
      readonly route: string;
      readonly bundleId: string;
      readonly status: InflightStatus | "unknown";
      readonly landedSlot: bigint | null;
    };

export type LandingOutcome =
  | {
      readonly kind: "confirmed";
      readonly signature: Signature;
      readonly slot: bigint;
      readonly elapsedMs: number;
    }
  | {
      readonly kind: "failed";
      readonly signature: Signature;
      readonly error: TransactionError;
      /** Absent when the preflight simulation rejected it and nothing was broadcast. */
      readonly slot?: bigint;
      readonly elapsedMs: number;
    }
  | {
      readonly kind: "expired";
      readonly signature: Signature;
      readonly lastValidBlockHeight: bigint;
      readonly blockHeight: bigint;
      readonly elapsedMs: number;
    };
