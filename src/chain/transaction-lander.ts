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
import {
  createLandingRoutes,
  createRpcLandingRoute,
  type LandingRoutes,
} from "./landing-routes.js";
import { type Landing, type LandingContext, startLanding } from "./landing-tracker.js";
import type { LandingEvent, LandingOutcome, LandingRequest } from "./landing-types.js";
import { reportBundleStatuses } from "./report-bundle-statuses.js";
import type { SignatureStatusPoller } from "./signature-status-poller.js";
import type { Timers } from "./timers.js";

export interface LanderEndpoint {
  readonly label: string;
  readonly rpc: Rpc<SendTransactionApi & GetBlockHeightApi & GetSignatureStatusesApi>;
  isAvailable(): boolean;
}

export interface TransactionLanderOptions {
  /** Each RPC endpoint on its own: expiry checks, and the public routes unless `routes` is given. */
  readonly endpoints: readonly LanderEndpoint[];
  /** Public and private routes; default: the endpoints as public routes, no private one. */
  readonly routes?: LandingRoutes;
  /** The pool's transport, for the optional preflight send. */
  readonly transport: RpcTransport;
  readonly poller: SignatureStatusPoller;
  readonly clock: Clock;
  readonly timers: Timers;
  /** Rebroadcast period (default 400 ms, about a slot: as often as the chain can use a copy). */
  readonly rebroadcastMs?: number;
  /**
   * Simulate on one endpoint before the first broadcast; a certain failure then costs no fee.
   * Public landings only: a protected transaction is never shown to a public endpoint.
   */
  readonly preflight?: boolean;
  readonly metrics?: ChainMetrics;
  readonly onEvent?: (event: LandingEvent) => void;
}

export interface TransactionLander {
  /**
   * Broadcasts and rebroadcasts the same bytes until confirmed, failed or expired, to the routes
   * of `request.route`; rejects with MEV_PROTECTION_UNAVAILABLE (nothing sent) for a protected
   * landing without a private route.
   */
  land(request: LandingRequest): Promise<LandingOutcome>;
  /** Tracks (and keeps rebroadcasting) a transaction stored before a restart. No preflight. */
  resume(request: LandingRequest): Promise<LandingOutcome>;
  inFlight(): number;
  /** Stops every landing; their promises reject with LANDER_CLOSED. */
  close(): void;
}

/** About a slot (400 ms): the chain can use a fresh copy once a slot, not more. */
export const DEFAULT_REBROADCAST_MS = 400;

export function createTransactionLander(options: TransactionLanderOptions): TransactionLander {
  const { clock, timers, poller, metrics } = options;
  const active = new Map<Signature, Landing>();
  const routes =
    options.routes ?? createLandingRoutes(options.endpoints.map(createRpcLandingRoute));

  const context: LandingContext = {
    clock,
    timers,
    poller,
    metrics,
    rebroadcastMs: options.rebroadcastMs ?? DEFAULT_REBROADCAST_MS,
    options,
    onDone: (signature) => active.delete(signature),
    reportBundles: (signature, bundles, emit) =>
      void reportBundleStatuses(bundles, { signature, clock, metrics, emit }).catch(() => {}),
  };

  function track(request: LandingRequest, preflight: boolean): Promise<LandingOutcome> {
    let signature: Signature;
    let targets: ReturnType<LandingRoutes["forPolicy"]>;
    try {
      signature = getWireSignature(request.transaction);
      targets = routes.forPolicy(request.route ?? "public");
    } catch (error) {
      return Promise.reject(error);
    }
    const existing = active.get(signature);
    if (existing !== undefined) return existing.promise; // one tracker per signature
    const protectedRoute = request.route === "protected";
    const landing = startLanding(
      context,
      signature,
      request,
      targets,
      preflight && !protectedRoute,
    );
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
