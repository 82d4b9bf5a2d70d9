/** `mockttp` for the web3.js suite in live mode (TEST_LIVE), where the mock server is never used. */
export function getLocal(): never {
  throw new Error("mockttp is not available in the conformance runner (live mode only)");
}
