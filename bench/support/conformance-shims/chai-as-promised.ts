/**
 * The parts of chai-as-promised the @solana/web3.js suite uses (rejected, rejectedWith,
 * fulfilled, eventually.<assertion>, notify), as a chai plugin: the package is not installed.
 */
import { inspect } from "node:util";

interface ChaiAssertion {
  then?: unknown;
  catch?: unknown;
}
type AssertionMethod = (this: ChaiAssertion, ...args: unknown[]) => unknown;
interface ChaiUtils {
  flag(assertion: ChaiAssertion, key: string, value?: unknown): unknown;
  addProperty(proto: object, name: string, getter: (this: ChaiAssertion) => unknown): void;
  addMethod(proto: object, name: string, method: AssertionMethod): void;
  overwriteMethod(
    proto: object,
    name: string,
    wrap: (original: AssertionMethod) => AssertionMethod,
  ): void;
}
interface ChaiLike {
  Assertion: { prototype: object };
  AssertionError: new (message: string) => Error;
}

// Chain words and flags pass through `eventually`; everything else is deferred to the value.
const PASS_THROUGH = new Set(["assert", "constructor", "then", "catch", "notify", "rejectedWith"]);

function makeThenable(assertion: ChaiAssertion, derived: Promise<unknown>): ChaiAssertion {
  // biome-ignore lint/suspicious/noThenProperty: chai-as-promised's assertions are thenables
  assertion.then = derived.then.bind(derived);
  assertion.catch = derived.catch.bind(derived);
  return assertion;
}

function matchesError(reason: unknown, errorLike: unknown, message: unknown): boolean {
  let expectedMessage = message;
  if (typeof errorLike === "function") {
    if (!(reason instanceof errorLike)) return false;
  } else if (errorLike instanceof Error) {
    if (reason !== errorLike) return false;
  } else if (errorLike !== undefined) {
    expectedMessage = errorLike;
  }
  const text = reason instanceof Error ? reason.message : String(reason);
  if (typeof expectedMessage === "string") return text.includes(expectedMessage);
  if (expectedMessage instanceof RegExp) return expectedMessage.test(text);
  return true;
}

export default function chaiAsPromised(chai: ChaiLike, utils: ChaiUtils): void {
  const proto = chai.Assertion.prototype;
  const settle = (
    assertion: ChaiAssertion,
    onValue: (value: unknown) => unknown,
    onReason: (reason: unknown) => unknown,
  ) =>
    makeThenable(
      assertion,
      Promise.resolve(utils.flag(assertion, "object")).then(onValue, onReason),
    );
  const fail = (message: string) => {
    throw new chai.AssertionError(message);
  };

  for (const name of Object.getOwnPropertyNames(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (PASS_THROUGH.has(name) || typeof descriptor?.value !== "function") continue;
    utils.overwriteMethod(
      proto,
      name,
      (original) =>
        function (this: ChaiAssertion, ...args: unknown[]) {
          if (!utils.flag(this, "eventually")) return original.apply(this, args);
          // Chained deferred assertions run in order, each on the object the previous one left
          // (`.eventually.have.property("a").that.satisfies(f)` checks f on the property).
          const previous = utils.flag(this, "eventuallyChain") as Promise<unknown> | undefined;
          const base = previous ?? Promise.resolve(utils.flag(this, "object"));
          const derived = base.then(
            (value) => {
              utils.flag(this, "eventually", false);
              utils.flag(this, "object", value);
              try {
                original.apply(this, args);
              } finally {
                utils.flag(this, "eventually", true);
              }
              return utils.flag(this, "object");
            },
            (reason) => {
              if (previous) throw reason;
              return fail(
                `expected promise to be fulfilled but it was rejected with ${inspect(reason)}`,
              );
            },
          );
          utils.flag(this, "eventuallyChain", derived);
          return makeThenable(this, derived);
        },
    );
  }
  utils.addProperty(proto, "eventually", function () {
    utils.flag(this, "eventually", true);
    return this;
  });
  utils.addProperty(proto, "fulfilled", function () {
    const negate = utils.flag(this, "negate") === true;
    return settle(
      this,
      (value) =>
        negate
          ? fail(`expected promise to be rejected but it was fulfilled with ${inspect(value)}`)
          : value,
      (reason) =>
        negate
          ? reason
          : fail(`expected promise to be fulfilled but it was rejected with ${inspect(reason)}`),
    );
  });
  utils.addProperty(proto, "rejected", function () {
    const negate = utils.flag(this, "negate") === true;
    return settle(
      this,
      (value) =>
        negate
          ? value
          : fail(`expected promise to be rejected but it was fulfilled with ${inspect(value)}`),
      (reason) =>
        negate
          ? fail(`expected promise not to be rejected but it was rejected with ${inspect(reason)}`)
          : reason,
    );
  });
  utils.addMethod(proto, "rejectedWith", function (errorLike?: unknown, message?: unknown) {
    const negate = utils.flag(this, "negate") === true;
    return settle(
      this,
      (value) =>
        negate
          ? value
          : fail(`expected promise to be rejected but it was fulfilled with ${inspect(value)}`),
      (reason) => {
        if (matchesError(reason, errorLike, message) === negate) {
          fail(
            `expected promise ${negate ? "not " : ""}to be rejected with ${inspect(errorLike)} ${inspect(message ?? "")} but it was rejected with ${inspect(reason)}`,
          );
        }
        return reason;
      },
    );
  });
  utils.addMethod(proto, "notify", function (done?: unknown) {
    const callback = done as (error?: unknown) => void;
    const then = this.then as (onValue: () => void, onReason: (reason: unknown) => void) => void;
    then(() => callback(), callback);
    return this;
  });
}
