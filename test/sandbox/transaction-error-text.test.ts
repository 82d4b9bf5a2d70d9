import { describe, expect, it } from "vitest";
import {
  INSTRUCTION_ERRORS,
  TRANSACTION_ERRORS,
} from "../../src/sandbox/chain/transaction-error.js";
import {
  describeInstructionError,
  describeTransactionError,
} from "../../src/sandbox/chain/transaction-error-text.js";

// Variants whose Display text in agave is their own name.
const SELF_NAMED = new Set(["ResanitizationNeeded", "CommitCancelled"]);

describe("transaction error text (agave's Display)", () => {
  it("has the validator's text for every error LiteSVM can report", () => {
    for (const variant of TRANSACTION_ERRORS) {
      const text = describeTransactionError(variant);
      if (!SELF_NAMED.has(variant)) expect(text, variant).not.toBe(variant);
    }
    for (const variant of INSTRUCTION_ERRORS) {
      expect(describeInstructionError(variant), variant).not.toBe(variant);
    }
  });

  it("words structured errors as the validator prints them", () => {
    expect(describeTransactionError({ InstructionError: [0, "InvalidInstructionData"] })).toBe(
      "Error processing Instruction 0: invalid instruction data",
    );
    expect(describeTransactionError({ InstructionError: [2, { Custom: 6001 }] })).toBe(
      "Error processing Instruction 2: custom program error: 0x1771",
    );
    expect(describeTransactionError({ InstructionError: [1, "InsufficientFunds"] })).toBe(
      "Error processing Instruction 1: insufficient funds for instruction",
    );
    expect(describeTransactionError({ InstructionError: [0, { BorshIoError: "eof" }] })).toBe(
      "Error processing Instruction 0: Failed to serialize or deserialize account data: eof",
    );
    expect(describeTransactionError({ InsufficientFundsForRent: { account_index: 3 } })).toBe(
      "Transaction results in an account (3) with insufficient funds for rent",
    );
    expect(describeTransactionError({ DuplicateInstruction: 4 })).toBe(
      "Transaction contains a duplicate instruction (4) that is not allowed",
    );
    expect(
      describeTransactionError({ ProgramExecutionTemporarilyRestricted: { account_index: 5 } }),
    ).toBe("Execution of the program referenced by account at index 5 is temporarily restricted.");
    expect(describeTransactionError("AddressLookupTableNotFound")).toBe(
      "Transaction loads an address table account that doesn't exist",
    );
  });
});
