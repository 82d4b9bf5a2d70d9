import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc } from "./rpc-helpers.js";

const RANDOM_ADDRESS = "BnWCFuxmi6uH3ceVx4R8qcbWBMPVVYVVFWtAiiTA1PAu";

// agave's getTokenAccountBalance / getTokenSupply / getTokenLargestAccounts take a bare
// CommitmentConfig: its `commitment` is required, so `{}` (kit's config with no commitment) fails.
describe("token methods' CommitmentConfig", () => {
  let sandbox: RunningSandbox;
  let url: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, manualClock: true });
    url = sandbox.rpcUrls[0] as string;
  });
  afterAll(async () => {
    await sandbox.close();
  });

  for (const method of ["getTokenAccountBalance", "getTokenSupply", "getTokenLargestAccounts"]) {
    it(`${method} refuses a config without commitment, before reading the account`, async () => {
      const { body } = await rawRpc(url, method, [RANDOM_ADDRESS, {}]);
      expect(body.error).toEqual({
        code: -32602,
        message: "Invalid params: missing field `commitment`.",
      });
      const withCommitment = await rawRpc(url, method, [
        RANDOM_ADDRESS,
        { commitment: "processed" },
      ]);
      expect(withCommitment.body.error.message).toMatch(/^Invalid param: /);
      const bare = await rawRpc(url, method, [RANDOM_ADDRESS]);
      expect(bare.body.error.message).toMatch(/^Invalid param: /);
    });
  }
});
