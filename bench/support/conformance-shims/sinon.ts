/**
 * `sinon` for the web3.js suite: not installed, so its spies are absent. Modules may import it
 * (a sandbox is created at load); a test that calls a spy or stub fails, and the report says why.
 */
function unavailable(): never {
  throw new Error("sinon is not available in the conformance runner");
}

export const spy = unavailable;
export const stub = unavailable;
export const mock = unavailable;
export const useFakeTimers = unavailable;
export const match = new Proxy({}, { get: unavailable });
export function createSandbox() {
  return { stub: unavailable, spy: unavailable, restore: () => {} };
}
export default { spy, stub, mock, useFakeTimers, match, createSandbox };
