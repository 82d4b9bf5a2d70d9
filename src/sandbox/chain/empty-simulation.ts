import type { TransactionErrorJson } from "./transaction-error.js";
import type { SimulationOutcome } from "./transaction-executor.js";

/** A simulation that never ran (refused before execution): the error and nothing else. */
export function emptySimulation(
  err: TransactionErrorJson,
): SimulationOutcome & { err: TransactionErrorJson } {
  return {
    err,
    logs: [],
    unitsConsumed: 0n,
    innerInstructions: [],
    returnData: null,
    postAccounts: new Map(),
  };
}
