import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { parseJsonBody } from "../../src/sandbox/rpc/parse-json-body.js";
import { postJson } from "./rpc-helpers.js";

const I64_MAX = "9223372036854775807";
const U64_MAX = "18446744073709551615";

describe("parseJsonBody", () => {
  it("keeps integers past 2^53 exact as bigints, outside strings only", () => {
    expect(parseJsonBody(`{"a":[${I64_MAX},-${I64_MAX},${U64_MAX}]}`)).toEqual({
      a: [9223372036854775807n, -9223372036854775807n, 18446744073709551615n],
    });
    // Safe integers, floats, exponents and digits inside strings stay as JSON.parse reads them.
    const text = `[9007199254740991,12345678901234567.5,12345678901234567e2,"${I64_MAX}","a\\"${U64_MAX}"]`;
    expect(parseJsonBody(text)).toEqual(JSON.parse(text));
    expect(parseJsonBody(`{"id":1,"x":"\\\\",  "n" : ${I64_MAX}}`)).toEqual({
      id: 1,
      x: "\\",
      n: 9223372036854775807n,
    });
  });

  it("still refuses what is not JSON", () => {
    expect(() => parseJsonBody(`[${I64_MAX}`)).toThrow(SyntaxError);
    expect(() => parseJsonBody(`[0${I64_MAX}]`)).toThrow(SyntaxError);
  });
});

describe("u64 params past 2^53 over RPC", () => {
  let sandbox: RunningSandbox;
  let url: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
    url = sandbox.rpcUrls[0] as string;
    sandbox.chain.advance(3);
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const call = (method: string, params: string) =>
    postJson(url, `{"jsonrpc":"2.0","id":1,"method":"${method}","params":${params}}`);

  it("answers getBlockTime(2^63 - 1) with the slot sent", async () => {
    const { body } = await call("getBlockTime", `[${I64_MAX}]`);
    expect(body.error).toEqual({
      code: -32004,
      message: `Block not available for slot ${I64_MAX}`,
    });
  });

  it("accepts u64::MAX as a slot and refuses 2^64", async () => {
    expect((await call("getBlock", `[${U64_MAX}]`)).body.error).toEqual({
      code: -32004,
      message: `Block not available for slot ${U64_MAX}`,
    });
    expect((await call("getBlockTime", "[18446744073709551616]")).body.error).toEqual({
      code: -32602,
      message: "Invalid params: invalid value: integer `18446744073709551616`, expected u64.",
    });
  });

  it("words getBlockProduction's too-high lastSlot with the number sent", async () => {
    const first = sandbox.chain.firstAvailableBlock;
    const { body } = await call(
      "getBlockProduction",
      `[{"range":{"firstSlot":${first},"lastSlot":${I64_MAX}}}]`,
    );
    expect(body.error.code).toBe(-32602);
    expect(body.error.message).toMatch(new RegExp(`lastSlot, ${I64_MAX}, is too large; max \\d+`));
  });

  it("echoes a big request id exactly", async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"jsonrpc":"2.0","id":${I64_MAX},"method":"getHealth"}`,
    });
    expect(await response.text()).toContain(`"id":${I64_MAX}`);
  });
});
