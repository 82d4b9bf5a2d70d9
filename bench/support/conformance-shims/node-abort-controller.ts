/** `node-abort-controller` for the web3.js suite: Node's own AbortController. */
export const AbortController = globalThis.AbortController;
