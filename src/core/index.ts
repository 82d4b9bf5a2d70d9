export * from "./addresses.js";
export * from "./amounts.js";
export * from "./clock.js";
export * from "./error-codes.js";
export * from "./ids.js";
export * from "./order-status.js";
export * from "./osprey-error.js";
export * from "./result.js";
