import type { RpcContext } from "./rpc-context.js";

/** One JSON-RPC method: positional params in, JSON-able result out (bigints allowed). */
export type RpcHandler = (params: unknown, ctx: RpcContext) => unknown;

export type RpcMethodTable = Readonly<Record<string, RpcHandler>>;
