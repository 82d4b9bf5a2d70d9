import { createServer } from "node:net";
import type { SandboxControl } from "../admin/admin-routes.js";
import { type RunningBlockEngine, startBlockEngine } from "../block-engine/start-block-engine.js";
import {
  createSandboxChain,
  type SandboxChain,
  type SandboxChainOptions,
} from "../chain/sandbox-chain.js";
import {
  type FaultProfile,
  type FaultProfileInput,
  HEALTHY_PROFILE,
  mergeFaultProfile,
} from "../faults/fault-profile.js";
import { createSendLog, type SendLog } from "../faults/send-log.js";
import { type RpcEndpoint, startRpcEndpoint } from "./rpc-endpoint.js";

export interface StartSandboxOptions extends SandboxChainOptions {
  /** First RPC port; endpoint i serves RPC on port + 2i and PubSub on port + 2i + 1. 0 = any free ports. */
  port?: number;
  endpoints?: number;
  host?: string;
  /** Initial fault profile per endpoint index. */
  faults?: readonly FaultProfileInput[];
  /** Use an existing chain (e.g. one the demo market already populated) instead of creating one. */
  chain?: SandboxChain;
  sleep?: (ms: number) => Promise<void>;
  /**
   * The Jito-compatible block engine and the sender (on by default): ports (after the RPC
   * endpoints' with a fixed `port`, else free ones) and the tip accounts' seed; false: neither.
   */
  blockEngine?: false | { port?: number; senderPort?: number; tipSeed?: string };
  /** Capacity of the send log (default 100,000 sends). */
  sendLogCapacity?: number;
}

export interface RunningSandbox {
  readonly rpcUrls: string[];
  readonly wsUrls: string[];
  /** Admin base URL (`…/sandbox`) on the first endpoint; every endpoint serves it too. */
  readonly adminUrl: string;
  readonly chain: SandboxChain;
  /** The block engine's base URL (`…/api/v1/bundles` etc.), null when disabled. */
  readonly blockEngineUrl: string | null;
  /** The sender's URL (JSON-RPC sendTransaction), null when disabled. */
  readonly senderUrl: string | null;
  /** The block engine's eight tip accounts (empty when disabled). */
  readonly tipAccounts: readonly string[];
  /** Every send the endpoints, the block engine and the sender received. */
  readonly sendLog: SendLog;
  setFaults(endpoint: number, change: FaultProfileInput): Promise<FaultProfile>;
  getFaults(endpoint: number): FaultProfile;
  close(): Promise<void>;
}

const MAX_PORT_ATTEMPTS = 20;

/** A port the OS considers free right now (the caller may still lose the race: it retries). */
function probeFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? "127.0.0.1";
  const count = options.endpoints ?? 1;
  const chain = options.chain ?? createSandboxChain(options);
  const endpoints: RpcEndpoint[] = [];
  const sendLog = createSendLog({
    now: chain.now,
    ...(options.sendLogCapacity ? { capacity: options.sendLogCapacity } : {}),
  });
  let blockEngine: RunningBlockEngine | null = null;
  const setFaults = async (index: number, change: FaultProfileInput) => {
    const endpoint = endpoints[index];
    if (!endpoint) throw new RangeError(`no endpoint ${index} (have ${endpoints.length})`);
    return endpoint.setProfile(change);
  };
  const describe = () => ({
    slot: chain.getSlot("processed"),
    clockRunning: chain.clock.running,
    endpoints: endpoints.map((e) => ({
      index: e.index,
      rpc: `http://${host}:${e.rpcPort}`,
      ws: `ws://${host}:${e.wsPort}`,
      profile: e.profile,
    })),
    blockEngine: blockEngine?.url ?? null,
    sender: blockEngine?.senderUrl ?? null,
    tipAccounts: blockEngine?.tipAccounts ?? [],
  });
  const control: SandboxControl = { chain, setFaults, describe, sends: sendLog };

  try {
    for (let index = 0; index < count; index++) {
      const profile = mergeFaultProfile(HEALTHY_PROFILE, options.faults?.[index] ?? {});
      const base = {
        index,
        chain,
        control,
        host,
        profile,
        sendLog,
        ...(options.sleep ? { sleep: options.sleep } : {}),
      };
      if (options.port) {
        const rpcPort = options.port + 2 * index;
        endpoints.push(await startRpcEndpoint({ ...base, rpcPort, wsPort: rpcPort + 1 }));
        continue;
      }
      for (let attempt = 1; ; attempt++) {
        const rpcPort = await probeFreePort(host);
        try {
          endpoints.push(await startRpcEndpoint({ ...base, rpcPort, wsPort: rpcPort + 1 }));
          break;
        } catch (error) {
          const inUse = (error as NodeJS.ErrnoException).code === "EADDRINUSE";
          if (!inUse || attempt >= MAX_PORT_ATTEMPTS || rpcPort + 1 > 65535) throw error;
        }
      }
    }
    if (options.blockEngine !== false) {
      const fixed = options.port ? options.port + 2 * count : 0;
      blockEngine = await startBlockEngine({
        chain,
        host,
        port: options.blockEngine?.port ?? fixed,
        senderPort: options.blockEngine?.senderPort ?? (fixed ? fixed + 1 : 0),
        sendLog,
        ...(options.blockEngine?.tipSeed ? { tipSeed: options.blockEngine.tipSeed } : {}),
      });
    }
  } catch (error) {
    await Promise.all(endpoints.map((e) => e.close()));
    if (!options.chain) chain.close();
    throw error;
  }

  const first = endpoints[0] as RpcEndpoint;
  return {
    rpcUrls: endpoints.map((e) => `http://${host}:${e.rpcPort}`),
    wsUrls: endpoints.map((e) => `ws://${host}:${e.wsPort}`),
    adminUrl: `http://${host}:${first.rpcPort}/sandbox`,
    chain,
    blockEngineUrl: blockEngine?.url ?? null,
    senderUrl: blockEngine?.senderUrl ?? null,
    tipAccounts: blockEngine?.tipAccounts ?? [],
    sendLog,
    setFaults,
    getFaults(index) {
      const endpoint = endpoints[index];
      if (!endpoint) throw new RangeError(`no endpoint ${index}`);
      return endpoint.profile;
    },
    async close() {
      await blockEngine?.close();
      await Promise.all(endpoints.map((e) => e.close()));
      if (!options.chain) chain.close();
    },
  };
}
