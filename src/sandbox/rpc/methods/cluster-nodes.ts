import { base58ToBytes } from "../../encoding/base58.js";
import { API_VERSION, type RpcContext } from "../rpc-context.js";

/** The feature set id getVersion reports. */
export const FEATURE_SET = 3_294_202_862;

/** agave's `version_from_hash`: the genesis hash folded to 16 bits, never zero (no hard forks). */
export function getShredVersion(genesisHash: string): number {
  const bytes = base58ToBytes(genesisHash) ?? new Uint8Array(32);
  let high = 0;
  let low = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    high ^= bytes[i] ?? 0;
    low ^= bytes[i + 1] ?? 0;
  }
  return Math.min(((high << 8) | low) + 1, 0xffff);
}

/**
 * The one node of the cluster. RPC and PubSub are the endpoint answering; the sandbox has no
 * gossip, TVU, TPU or repair sockets, so those advertise port 0 on its host (nothing listens),
 * and the UDP TPU addresses are null, as on validators that serve TPU over QUIC only.
 */
export function getClusterNodes(ctx: RpcContext) {
  const host = ctx.endpoint?.host ?? "127.0.0.1";
  const noSocket = `${host}:0`;
  return [
    {
      clientId: "Agave",
      featureSet: FEATURE_SET,
      gossip: noSocket,
      pubkey: ctx.chain.validator.identity,
      pubsub: ctx.endpoint ? `${host}:${ctx.endpoint.wsPort}` : null,
      rpc: ctx.endpoint ? `${host}:${ctx.endpoint.rpcPort}` : null,
      serveRepair: noSocket,
      shredVersion: getShredVersion(ctx.chain.genesisHash),
      tpu: null,
      tpuForwards: null,
      tpuForwardsQuic: noSocket,
      tpuQuic: noSocket,
      tpuVote: noSocket,
      tvu: noSocket,
      version: API_VERSION,
    },
  ];
}
