export * from "./derive-wallet-key.js";
export * from "./kdf-limiter.js";
export * from "./kdf-params.js";
export * from "./key-envelope.js";
export * from "./random-bytes.js";
export * from "./secret-key-format.js";
export * from "./wallet-cipher.js";
export * from "./wallet-keypair.js";
