import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ERROR_CODES, type ErrorCode, getRetryAfterSeconds } from "../../src/core/error-codes.js";
import { OspreyError } from "../../src/core/osprey-error.js";
import { type BareApi, createBareApi } from "../support/bare-api.js";

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe("Retry-After from the error table", () => {
  it("is set for every 503 in the table, and for nothing that is the client's fault or a bug", () => {
    for (const code of CODES) {
      const { status } = ERROR_CODES[code];
      if (status === 503) expect(getRetryAfterSeconds(code), code).toBeGreaterThan(0);
      if (status < 500 && code !== "RATE_LIMITED")
        expect(getRetryAfterSeconds(code), code).toBe(undefined);
    }
    expect(getRetryAfterSeconds("INTERNAL")).toBe(undefined);
  });

  let api: BareApi;
  let url: string;
  beforeAll(async () => {
    api = await createBareApi({
      routes: [
        (routes) =>
          routes.get(
            "/throw/:code",
            { schema: { params: z.object({ code: z.string() }) } },
            async (request) => {
              const code = request.params.code as ErrorCode;
              if (code === "INTERNAL") throw new Error("a bug");
              throw new OspreyError(
                code,
                undefined,
                code === "RATE_LIMITED" ? { retryAfterMs: 12_345 } : {},
              );
            },
          ),
      ],
    });
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => api.close());

  it("is sent by the one error handler for every code, as the table or the error says", async () => {
    for (const code of CODES) {
      const response = await fetch(`${url}/throw/${code}`);
      expect(response.status, code).toBe(code === "INTERNAL" ? 500 : ERROR_CODES[code].status);
      const expected =
        code === "RATE_LIMITED" ? "13" : (getRetryAfterSeconds(code)?.toString() ?? null);
      expect(response.headers.get("retry-after"), code).toBe(expected);
    }
  });
});
