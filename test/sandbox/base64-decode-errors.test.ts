import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc } from "./rpc-helpers.js";

// agave decodes with base64's STANDARD engine (canonical padding) and prints its error's Debug.
describe("base64 decoding errors as agave words them", () => {
  let sandbox: RunningSandbox;
  let url: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
    url = sandbox.rpcUrls[0] as string;
  });
  afterAll(async () => {
    await sandbox.close();
  });

  const cases: [string, string][] = [
    ["someInvalidMessage", "invalid base64 encoding: InvalidPadding"],
    ["QUJDRA=", "invalid base64 encoding: InvalidPadding"],
    ["QUJDR", "invalid base64 encoding: InvalidLength"],
    ["QU*D", "invalid base64 encoding: InvalidByte(2, 42)"],
  ];
  for (const [message, expected] of cases) {
    it(`getFeeForMessage(${JSON.stringify(message)})`, async () => {
      const { body } = await rawRpc(url, "getFeeForMessage", [message]);
      expect(body.error).toEqual({ code: -32602, message: expected });
    });
  }
});
