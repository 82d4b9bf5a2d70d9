/** SPL Token / Token-2022 custom errors a user can act on, by the programs' error numbers. */
const TOKEN_ERRORS: Record<number, string> = {
  1: "insufficient token balance",
  4: "the token account owner does not match",
  17: "the token account is frozen by the token's freeze authority (a honeypot)",
};

/** A readable reason for an on-chain failure, keeping the raw error for support. */
export function describeTransactionError(error: unknown): string {
  const raw = JSON.stringify(error, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
  if (typeof error === "object" && error !== null && "InstructionError" in error) {
    const [index, inner] = (error as { InstructionError: [unknown, unknown] }).InstructionError;
    const custom =
      typeof inner === "object" && inner !== null && "Custom" in inner
        ? Number((inner as { Custom: unknown }).Custom)
        : undefined;
    const known = custom === undefined ? undefined : TOKEN_ERRORS[custom];
    if (known) return `The swap failed on chain: ${known} (instruction ${String(index)}, ${raw}).`;
  }
  if (error === "InsufficientFundsForFee") return `The wallet cannot pay the network fee (${raw}).`;
  return `The swap failed on chain: ${raw}.`;
}
