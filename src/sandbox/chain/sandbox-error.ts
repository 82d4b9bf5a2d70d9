/** Why the sandbox refused a request; the RPC layer maps each code to a JSON-RPC error. */
export type SandboxErrorCode =
  | "INVALID_TRANSACTION"
  | "UNSUPPORTED_VERSION"
  | "INVALID_ARGUMENT"
  | "UNKNOWN_SNAPSHOT";

export class SandboxError extends Error {
  readonly code: SandboxErrorCode;

  constructor(code: SandboxErrorCode, message: string) {
    super(message);
    this.name = "SandboxError";
    this.code = code;
  }
}
