import { describe, expect, it } from "vitest";
import { getSwapV2Url } from "../../src/app.js";
import { parseConfig } from "../../src/config/index.js";

const config = (env: Record<string, string> = {}) =>
  parseConfig({ DATABASE_URL: "sqlite::memory:", ...env });

describe("the Swap API v2 base URL", () => {
  it("is JUPITER_SWAP_V2_URL when set", () => {
    expect(
      getSwapV2Url(
        config({
          JUPITER_SWAP_V2_URL: "http://127.0.0.1:9/v2",
          JUPITER_API_URL: "http://127.0.0.1:8/swap/v1",
        }),
        {},
      ),
    ).toBe("http://127.0.0.1:9/v2");
  });

  it("reads JUPITER_API_URL's trailing /swap/v1 as /swap/v2, else Jupiter's", () => {
    expect(getSwapV2Url(config({ JUPITER_API_URL: "http://127.0.0.1:8/swap/v1/" }), {})).toBe(
      "http://127.0.0.1:8/swap/v2",
    );
    // A v1-compatible server that is not at …/swap/v1 says nothing about where v2 is.
    expect(getSwapV2Url(config({ JUPITER_API_URL: "http://127.0.0.1:8/jup" }), {})).toBe(
      "https://api.jup.ag/swap/v2",
    );
    expect(getSwapV2Url(config(), {})).toBe("https://api.jup.ag/swap/v2");
  });

  it("is the embedded sandbox's, beside its /swap/v1, as the v1 client uses the sandbox's", () => {
    const withEnv = config({ JUPITER_SWAP_V2_URL: "http://127.0.0.1:9/v2" });
    expect(getSwapV2Url(withEnv, { swapApiUrl: "http://127.0.0.1:7/swap/v1" })).toBe(
      "http://127.0.0.1:7/swap/v2",
    );
    expect(getSwapV2Url(withEnv, { swapV2Url: "http://127.0.0.1:6/swap/v2" })).toBe(
      "http://127.0.0.1:6/swap/v2",
    );
  });
});
