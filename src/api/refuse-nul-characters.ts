import type { FastifyRequest } from "fastify";
import { OspreyError } from "../core/osprey-error.js";

function containsNul(value: unknown): boolean {
  // Iterative: a body nested 20,000 arrays deep must not exhaust the stack.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") {
      if (next.includes("\u0000")) return true;
    } else if (typeof next === "object" && next !== null) {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes("\u0000")) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

/**
 * A preValidation hook: no text the API takes may hold a NUL character. PostgreSQL cannot store
 * one (it answered such a label or id with an error, hence a 500), and no name, id or password
 * needs it, so it is refused up front, the same way on every database.
 */
export async function refuseNulCharacters(request: FastifyRequest): Promise<void> {
  for (const [part, value] of [
    ["params", request.params],
    ["querystring", request.query],
    ["body", request.body],
  ] as const) {
    if (containsNul(value))
      throw new OspreyError("INVALID_INPUT", "Text may not contain the NUL character (\\u0000).", {
        part,
      });
  }
}
