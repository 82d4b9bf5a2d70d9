import { afterEach, describe, expect, it } from "vitest";
import { isOspreyError } from "../../src/core/osprey-error.js";
import { createPriceClient, SOL_MINT } from "../../src/trading/price-client.js";
import { startJsonServer } from "../support/json-server.js";

let server: Awaited<ReturnType<typeof startJsonServer>> | undefined;
afterEach(async () => {
  await server?.close();
});

describe("price client", () => {
  it("turns the API's number into micro-dollars and reuses it for two seconds", async () => {
    let usdPrice: unknown = 142.5;
    let status = 200;
    server = await startJsonServer((_request, response) => {
      response.statusCode = status;
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ [SOL_MINT]: { usdPrice } }));
    });
    let now = 0;
    const prices = createPriceClient({
      baseUrl: `${server.url}/price/v3`,
      clock: { now: () => now },
    });
    expect(await prices.getUsdMicros(SOL_MINT)).toBe(142_500_000n);
    usdPrice = 150;
    now = 1_999;
    expect(await prices.getUsdMicros(SOL_MINT)).toBe(142_500_000n);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.url).toBe(`/price/v3?ids=${SOL_MINT}`);
    now = 2_000;
    expect(await prices.getUsdMicros(SOL_MINT)).toBe(150_000_000n);

    // A failure is not remembered: the next call asks again.
    status = 503;
    now = 4_000;
    const failed = await prices.getUsdMicros(SOL_MINT).catch((error: unknown) => error);
    expect(isOspreyError(failed, "API_ERROR")).toBe(true);
    status = 200;
    usdPrice = "not a number";
    expect(await prices.getUsdMicros(SOL_MINT)).toBeNull();
    expect(server.requests).toHaveLength(4);
  });
});
