/** The first item `collected` holds that matches, polling until it arrives or `ms` pass. */
export async function waitFor<T>(
  collected: readonly T[],
  match: (item: T) => boolean,
  ms = 10_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = collected.find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no matching notification in ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
