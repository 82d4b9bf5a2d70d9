import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { SandboxChain } from "../chain/sandbox-chain.js";
import { SandboxError } from "../chain/sandbox-error.js";
import {
  FAULT_PRESET_NAMES,
  FAULT_PRESETS,
  type FaultProfile,
  type FaultProfileInput,
  faultProfileSchema,
} from "../faults/fault-profile.js";
import type { SendLog } from "../faults/send-log.js";
import { stringifyJson } from "../rpc/json-stringify.js";
import { addressSchema, u64Schema } from "../rpc/params.js";
import { readBody } from "../server/http-body.js";
import { accountFieldsSchema, quoteBigIntegers, toSetAccountInput } from "./account-fixture.js";

/** What the admin routes may operate on: the chain and the endpoints' fault profiles. */
export interface SandboxControl {
  readonly chain: SandboxChain;
  setFaults(endpoint: number, change: FaultProfileInput): Promise<FaultProfile>;
  describe(): unknown;
  /** The send log (`GET /sandbox/sends`). */
  readonly sends?: SendLog;
}

const amountSchema = z.union([u64Schema, z.string().regex(/^\d+$/).transform(BigInt)]);
const schemas = {
  faults: z
    .strictObject({
      endpoint: z.number().int().nonnegative(),
      // A named profile (congestion, healthy) applied first; `profile` fields then override it.
      preset: z.enum(FAULT_PRESET_NAMES).optional(),
      profile: faultProfileSchema.partial().optional(),
    })
    .refine((input) => input.preset !== undefined || input.profile !== undefined, {
      message: "give a profile, a preset, or both",
    }),
  clock: z.strictObject({
    action: z.enum(["pause", "resume", "advance"]),
    slots: z.number().int().min(1).max(100_000).optional(),
  }),
  airdrop: z.strictObject({ address: addressSchema, lamports: amountSchema }),
  // Every field a genesis account has (lamports, data, owner, executable, rentEpoch, space).
  accounts: accountFieldsSchema.extend({ address: addressSchema }).strict(),
  restore: z.strictObject({ id: z.string() }),
};

class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new AdminError(
    400,
    "INVALID_INPUT",
    `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
  );
}

async function route(control: SandboxControl, action: string, body: unknown): Promise<unknown> {
  const { chain } = control;
  switch (action) {
    case "faults": {
      const input = parse(schemas.faults, body);
      const change: FaultProfileInput = {
        ...(input.preset ? FAULT_PRESETS[input.preset] : {}),
        ...(input.profile as FaultProfileInput | undefined),
      };
      return { endpoint: input.endpoint, profile: await control.setFaults(input.endpoint, change) };
    }
    case "clock": {
      const input = parse(schemas.clock, body);
      if (input.action === "pause") chain.clock.pause();
      else if (input.action === "resume") chain.clock.resume();
      else chain.advance(input.slots ?? 1);
      return { slot: chain.getSlot("processed"), running: chain.clock.running };
    }
    case "airdrop": {
      const input = parse(schemas.airdrop, body);
      return { signature: chain.airdrop(input.address, input.lamports) };
    }
    case "accounts": {
      const { address, ...fields } = parse(schemas.accounts, body);
      try {
        chain.setAccount(toSetAccountInput(address, fields));
      } catch (error) {
        if (error instanceof RangeError) throw new AdminError(400, "INVALID_INPUT", error.message);
        throw error;
      }
      return { address };
    }
    case "snapshot":
      return { id: chain.snapshot() };
    case "restore":
      chain.restore(parse(schemas.restore, body).id);
      return { restored: true };
    default:
      throw new AdminError(404, "NOT_FOUND", `no admin route ${action}`);
  }
}

/** `/sandbox/...` on every endpoint's port: HTTP JSON, sandbox only, never fault-injected. */
export async function handleAdminRequest(
  control: SandboxControl,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const send = (status: number, payload: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(stringifyJson(payload));
  };
  try {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const action = url.pathname.replace(/^\/sandbox\/?/, "");
    if (req.method === "GET" && action === "") return send(200, control.describe());
    if (req.method === "GET" && action === "sends") {
      const signature = url.searchParams.get("signature");
      const sends = control.sends?.list(signature === null ? {} : { signature }) ?? [];
      return send(200, { sends });
    }
    if (req.method !== "POST") throw new AdminError(405, "METHOD_NOT_ALLOWED", "use POST");
    const text = await readBody(req);
    let body: unknown = {};
    try {
      body = text ? JSON.parse(quoteBigIntegers(text)) : {};
    } catch {
      throw new AdminError(400, "INVALID_JSON", "body is not valid JSON");
    }
    send(200, await route(control, action, body));
  } catch (error) {
    if (error instanceof AdminError)
      return send(error.status, { error: { code: error.code, message: error.message } });
    if (error instanceof SandboxError)
      return send(400, { error: { code: error.code, message: error.message } });
    send(400, {
      error: {
        code: "BAD_REQUEST",
        message: error instanceof Error ? error.message : String(error),
      },
    });
  }
}
