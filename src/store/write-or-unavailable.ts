import { isOspreyError, OspreyError } from "../core/osprey-error.js";

/** Database failures become 503 before anything is signed; our own errors pass through. */
export async function write<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isOspreyError(error)) throw error;
    throw new OspreyError("DATABASE_UNAVAILABLE", undefined, {}, { cause: error });
  }
}
