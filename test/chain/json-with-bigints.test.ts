import { isSolanaError, SOLANA_ERROR__MALFORMED_BIGINT_STRING } from "@solana/kit";
// kit's own codec, the reference this one must match (a dependency of @solana/kit).
import {
  parseJsonWithBigInts as kitParse,
  stringifyJsonWithBigInts as kitStringify,
} from "@solana/rpc-spec-types";
import { describe, expect, it } from "vitest";
import {
  parseJsonWithBigInts,
  stringifyJsonWithBigInts,
} from "../../src/chain/json-with-bigints.js";

const SAMPLES = [
  "0",
  "-12",
  '"a string with 123 and \\"escaped 456\\" and \\\\"',
  '{"jsonrpc":"2.0","id":"7","result":{"context":{"slot":123456789,"apiVersion":"2.1.0"},"value":[{"lamports":2039280,"rentEpoch":18446744073709551615,"space":165,"data":["AQID","base64"],"executable":false}]}}',
  '{"uiAmount":0.123456,"uiAmountString":"0.123456","decimals":6,"big":1e3,"bigger":2E+2,"small":5e-3,"neg":-7,"fraction":-0.5,"zero":0}',
  '[1,[2,[3,{"x":[4,null,true,false,"5"]}]],-9007199254740993]',
  '{"$n":"42"}',
  '{"a":{"$n":"-1e2"},"b":{"$n":{"$n":"3"}}}',
  '{"key with 99":"value: 100","nested":{"\\u0031":1}}',
  '{"__proto__":{"polluted":1},"ok":2}',
  ' { "spaced" : [ 1 , 2.5 , 3 ] } ',
];

describe("JSON with bigints", () => {
  it("parses exactly as kit does", () => {
    for (const sample of SAMPLES)
      expect(parseJsonWithBigInts(sample), sample).toEqual(kitParse(sample));
  });

  it("keeps integers beyond 2^53 exact and fractions as numbers", () => {
    const parsed = parseJsonWithBigInts('{"a":18446744073709551615,"b":1.5,"c":[7]}') as {
      a: bigint;
      b: number;
      c: bigint[];
    };
    expect(parsed).toEqual({ a: 18446744073709551615n, b: 1.5, c: [7n] });
  });

  it("keeps a __proto__ key an own property", () => {
    const parsed = parseJsonWithBigInts('{"__proto__":{"x":1}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value).toEqual({ x: 1n });
  });

  it("refuses a malformed bigint marker as kit does", () => {
    const error = (() => {
      try {
        return parseJsonWithBigInts('{"$n":"12abc"}');
      } catch (caught) {
        return caught;
      }
    })();
    expect(isSolanaError(error, SOLANA_ERROR__MALFORMED_BIGINT_STRING)).toBe(true);
    expect(() => parseJsonWithBigInts("{not json")).toThrow(SyntaxError);
  });

  it("writes bigints as bare integers, as kit does", () => {
    const value = { id: "1", params: [5n, { minContextSlot: -3n, s: "9n" }, 1.25, null] };
    expect(stringifyJsonWithBigInts(value)).toBe(kitStringify(value));
    expect(stringifyJsonWithBigInts(value)).toBe(
      '{"id":"1","params":[5,{"minContextSlot":-3,"s":"9n"},1.25,null]}',
    );
  });
});
