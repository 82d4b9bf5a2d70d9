import { getBase58Encoder } from "@solana/kit";
import { rpcCall } from "./crash-harness.js";

const COMPUTE_BUDGET_PROGRAM = "ComputeBudget111111111111111111111111111111";
const SYSTEM_PROGRAM = "11111111111111111111111111111111";
const LOOKUP_TABLE_PROGRAM = "AddressLookupTab1e1111111111111111111111111";

interface RawInstruction {
  readonly programIdIndex: number;
  readonly accounts: number[];
  readonly data: string;
}

export interface RawLandedTransaction {
  readonly slot: number;
  readonly version: number | "legacy";
  readonly meta: {
    readonly err: unknown;
    readonly fee: number;
    readonly preBalances: number[];
    readonly postBalances: number[];
    readonly loadedAddresses?: { writable: string[]; readonly: string[] };
  };
  readonly transaction: {
    readonly signatures: string[];
    readonly message: {
      readonly header: {
        numRequiredSignatures: number;
        numReadonlySignedAccounts: number;
        numReadonlyUnsignedAccounts: number;
      };
      readonly accountKeys: string[];
      readonly instructions: RawInstruction[];
      readonly addressTableLookups?: {
        accountKey: string;
        writableIndexes: number[];
        readonlyIndexes: number[];
      }[];
    };
  };
}

/** What an outside observer reads of one landed transaction, over plain JSON-RPC. */
export interface LandedView {
  readonly raw: RawLandedTransaction;
  /** Static keys, then loaded writable, then loaded read-only addresses. */
  readonly keys: readonly string[];
  readonly fee: bigint;
  readonly signatures: number;
  /** From SetComputeUnitLimit / SetComputeUnitPrice, null when the instruction is absent. */
  readonly computeUnitLimit: number | null;
  readonly computeUnitPriceMicroLamports: bigint | null;
  /** System transfers: from, to, lamports. */
  readonly transfers: readonly { from: string; to: string; lamports: bigint }[];
  lamportDelta(account: string): bigint;
  /** Lamports that went into accounts created by this transaction (rent), other than `except`. */
  rentPaid(except: readonly string[]): bigint;
  /** Whether `account` is in the message at all, and as what. */
  role(account: string): { present: boolean; writable: boolean; signer: boolean };
}

const base58 = getBase58Encoder();

export async function readLanded(rpc: string, signature: string): Promise<LandedView> {
  const raw = (await rpcCall(rpc, "getTransaction", [
    signature,
    { commitment: "confirmed", encoding: "json", maxSupportedTransactionVersion: 0 },
  ])) as RawLandedTransaction | null;
  if (raw === null) throw new Error(`transaction ${signature} is not on chain`);
  const message = raw.transaction.message;
  const loaded = raw.meta.loadedAddresses ?? { writable: [], readonly: [] };
  const keys = [...message.accountKeys, ...loaded.writable, ...loaded.readonly];
  let computeUnitLimit: number | null = null;
  let computeUnitPriceMicroLamports: bigint | null = null;
  const transfers: { from: string; to: string; lamports: bigint }[] = [];
  for (const ix of message.instructions) {
    const program = keys[ix.programIdIndex];
    const data = new Uint8Array(base58.encode(ix.data));
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (program === COMPUTE_BUDGET_PROGRAM) {
      if (data[0] === 2 && data.length >= 5) computeUnitLimit = view.getUint32(1, true);
      if (data[0] === 3 && data.length >= 9)
        computeUnitPriceMicroLamports = view.getBigUint64(1, true);
    } else if (program === SYSTEM_PROGRAM && data.length >= 12 && view.getUint32(0, true) === 2) {
      transfers.push({
        from: keys[ix.accounts[0] ?? -1] ?? "",
        to: keys[ix.accounts[1] ?? -1] ?? "",
        lamports: view.getBigUint64(4, true),
      });
    }
  }
  const { header } = message;
  const staticCount = message.accountKeys.length;
  return {
    raw,
    keys,
    fee: BigInt(raw.meta.fee),
    signatures: raw.transaction.signatures.length,
    computeUnitLimit,
    computeUnitPriceMicroLamports,
    transfers,
    lamportDelta(account) {
      const index = keys.indexOf(account);
      if (index < 0) return 0n;
      return BigInt(raw.meta.postBalances[index] ?? 0) - BigInt(raw.meta.preBalances[index] ?? 0);
    },
    rentPaid(except) {
      let total = 0n;
      keys.forEach((key, index) => {
        if (except.includes(key)) return;
        const pre = BigInt(raw.meta.preBalances[index] ?? 0);
        const post = BigInt(raw.meta.postBalances[index] ?? 0);
        if (pre === 0n && post > 0n) total += post;
      });
      return total;
    },
    role(account) {
      const index = keys.indexOf(account);
      if (index < 0) return { present: false, writable: false, signer: false };
      if (index >= staticCount) {
        return {
          present: true,
          writable: index < staticCount + loaded.writable.length,
          signer: false,
        };
      }
      const signer = index < header.numRequiredSignatures;
      const writable = signer
        ? index < header.numRequiredSignatures - header.numReadonlySignedAccounts
        : index < staticCount - header.numReadonlyUnsignedAccounts;
      return { present: true, writable, signer };
    },
  };
}

/** The priority fee a transaction pays for its compute-unit price and limit (rounded up). */
export function priorityFeeOf(view: LandedView): bigint {
  const price = view.computeUnitPriceMicroLamports ?? 0n;
  if (price === 0n) return 0n;
  // Without a SetComputeUnitLimit the runtime's default applies; Osprey always sets one.
  const limit = BigInt(view.computeUnitLimit ?? 200_000);
  return (price * limit + 999_999n) / 1_000_000n;
}

/** Whether `account` is an address lookup table on chain (owned by the lookup table program). */
export async function isLookupTable(rpc: string, account: string): Promise<boolean> {
  const info = (await rpcCall(rpc, "getAccountInfo", [account, { encoding: "base64" }])) as {
    value: { owner: string } | null;
  };
  return info.value?.owner === LOOKUP_TABLE_PROGRAM;
}

/** `GET {admin}/sends?signature=…`: every send any sandbox endpoint received for it. */
export interface SendLogEntry {
  readonly route: string;
  readonly method: string;
  readonly signature: string;
  readonly at: number | string;
  readonly dropped: boolean;
}

export async function readSendLog(admin: string, signature: string): Promise<SendLogEntry[]> {
  const response = await fetch(`${admin}/sends?signature=${encodeURIComponent(signature)}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`send log: ${response.status} ${text}`);
  const body = JSON.parse(text) as { sends?: SendLogEntry[] } | SendLogEntry[];
  return Array.isArray(body) ? body : (body.sends ?? []);
}

/** A Jito JSON-RPC call to a block engine (or sender) the way Osprey makes it. */
export async function jitoCall(url: string, method: string, params: unknown[] = []) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: unknown };
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/**
 * A pass-through proxy in front of the sandbox's swap API that records each request's path, so
 * a test can tell which Swap API (v1 quote + swap, or v2 build) the server used.
 */
export async function startRecordingProxy(target: string) {
  const { createServer } = await import("node:http");
  const paths: string[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      paths.push(new URL(req.url ?? "/", "http://x").pathname);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string" && name !== "host" && name !== "connection")
          headers[name] = value;
      }
      const response = await fetch(`${target}${req.url ?? ""}`, {
        method: req.method ?? "GET",
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      res.writeHead(response.status, {
        "content-type": response.headers.get("content-type") ?? "application/json",
      });
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.writeHead(502);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
