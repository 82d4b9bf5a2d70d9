/** A datum that may not have been readable: checks on an unreadable datum report `unknown`. */
export type Readable<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

export function readable<T>(value: T): Readable<T> {
  return { ok: true, value };
}

export function unreadable<T>(reason: string): Readable<T> {
  return { ok: false, reason };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

/** Settles a promise into a Readable, so one failed read never fails the whole analysis. */
export async function settle<T>(promise: Promise<T>): Promise<Readable<T>> {
  try {
    return readable(await promise);
  } catch (error) {
    return unreadable(describeError(error));
  }
}
