import type { Signature, TransactionError } from "@solana/kit";

export interface LandingRequest {
  /** The signed transaction's wire bytes, base64. Sent as-is, never re-signed. */
  readonly transaction: string;
  readonly lastValidBlockHeight: bigint;
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
