import type {
  GetBlockHeightApi,
  GetSignatureStatusesApi,
  Rpc,
  RpcTransport,
  SendTransactionApi,
  Signature,
} from "@solana/kit";
import { type Clock, OspreyError } from "../core/index.js";
import type { ChainMetrics } from "./chain-metrics.js";
import { getWireSignature } from "./get-wire-signature.js";
import { type Landing, type LandingContext, startLanding } from "./landing-tracker.js";
import type { LandingEvent, LandingOutcome, LandingRequest } from "./landing-types.js";
import type { SignatureStatusPoller } from "./signature-status-poller.js";
import type { Timers } from "./timers.js";

export interface LanderEndpoint {
  readonly label: string;
  readonly rpc: Rpc<SendTransactionApi & GetBlockHeightApi & GetSignatureStatusesApi>;
  isAvailable(): boolean;
}

export interface TransactionLanderOptions {
  /** Each endpoint on its own: every copy goes to all of them. */
  readonly endpoints: readonly LanderEndpoint[];
  /** The pool's transport, for the optional preflight send. */
  readonly transport: RpcTransport;
  readonly poller: SignatureStatusPoller;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly rebroadcastMs?: number;
  /** Simulate on one endpoint before the first broadcast; a certain failure then costs no fee. */
  readonly preflight?: boolean;
  readonly metrics?: ChainMetrics;
  readonly onEvent?: (event: LandingEvent) => void;
}

export interface TransactionLander {
  /** Broadcasts and rebroadcasts the same bytes until confirmed, failed or expired. */
  land(request: LandingRequest): Promise<LandingOutcome>;
  /** Tracks (and keeps rebroadcasting) a transaction stored before a restart. No preflight. */
  resume(request: LandingRequest): Promise<LandingOutcome>;
  inFlight(): number;
  /** Stops every landing; their promises reject with LANDER_CLOSED. */
  close(): void;
}

export function createTransactionLander(options: TransactionLanderOptions): TransactionLander {
  const { clock, timers, poller, metrics } = options;
  const active = new Map<Signature, Landing>();

  const context: LandingContext = {
    clock,
    timers,
    poller,
    metrics,
    rebroadcastMs: options.rebroadcastMs ?? 2_000,
    options,
    onDone: (signature) => active.delete(signature),
  };

  function track(request: LandingRequest, preflight: boolean): Promise<LandingOutcome> {
    const signature = getWireSignature(request.transaction);
    const existing = active.get(signature);
    if (existing !== undefined) return existing.promise; // one tracker per signature
    const landing = startLanding(context, signature, request, preflight);
    // A landing that settled synchronously (aborted signal) must not linger in the map.
    if (!request.signal?.aborted) active.set(signature, landing);
    return landing.promise;
  }

  return {
    land: (request) => track(request, options.preflight ?? false),
    resume: (request) => track(request, false),
    inFlight: () => active.size,
    close() {
      for (const { stop } of [...active.values()]) {
        stop(new OspreyError("LANDER_CLOSED"));
      }
    },
  };
}
