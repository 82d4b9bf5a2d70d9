/**
 * Mocha's globals over vitest, for suites written for mocha (@solana/web3.js v1): describe/it
 * with `this.timeout()` / `this.skip()`, before/after hooks. Timeouts come from the vitest config.
 */
import * as vitest from "vitest";

interface MochaContext {
  timeout(ms?: number): void;
  retries(count: number): void;
  slow(ms: number): void;
  skip(): void;
}
type MochaBody = (this: MochaContext) => unknown;

function createContext(skip: () => void): MochaContext {
  return { timeout: () => {}, retries: () => {}, slow: () => {}, skip };
}

function cannotSkip(): never {
  throw new Error("this.skip() outside a test is not supported by the conformance runner");
}

function wrapTest(body: MochaBody) {
  return (context: vitest.TestContext) => body.call(createContext(() => context.skip()));
}

function wrapHook(body: MochaBody) {
  return () => body.call(createContext(cannotSkip));
}

function wrapSuite(body: MochaBody) {
  return () => {
    body.call(createContext(cannotSkip));
  };
}

/** What mocha's it()/describe() return: `it(...).timeout(ms)` chains; timeouts are the config's. */
const runnable = { timeout: () => runnable, retries: () => runnable, slow: () => runnable };

function declare(register: () => void) {
  register();
  return runnable;
}

const it = Object.assign(
  (name: string, body?: MochaBody) =>
    declare(() => (body ? vitest.it(name, wrapTest(body)) : vitest.it.todo(name))),
  {
    // biome-ignore lint/suspicious/noFocusedTests: mocha's it.only, passed through
    only: (name: string, body: MochaBody) => declare(() => vitest.it.only(name, wrapTest(body))),
    skip: (name: string, _body?: MochaBody) => declare(() => vitest.it.skip(name, () => {})),
  },
);
const describe = Object.assign(
  (name: string, body: MochaBody) => declare(() => vitest.describe(name, wrapSuite(body))),
  {
    only: (name: string, body: MochaBody) =>
      // biome-ignore lint/suspicious/noFocusedTests: mocha's describe.only, passed through
      declare(() => vitest.describe.only(name, wrapSuite(body))),
    skip: (name: string, body: MochaBody) =>
      declare(() => vitest.describe.skip(name, wrapSuite(body))),
  },
);

Object.assign(globalThis, {
  describe,
  context: describe,
  it,
  specify: it,
  before: (body: MochaBody) => vitest.beforeAll(wrapHook(body)),
  after: (body: MochaBody) => vitest.afterAll(wrapHook(body)),
  beforeEach: (body: MochaBody) => vitest.beforeEach(wrapHook(body)),
  afterEach: (body: MochaBody) => vitest.afterEach(wrapHook(body)),
});
