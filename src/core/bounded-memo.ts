/**
 * Remembers values that never change for their key (derived addresses, decoded keys, encodings)
 * in at most `max` entries; when full it starts over, so a long-running process that sees an
 * endless stream of new keys holds a bounded amount.
 */
export function createBoundedMemo<K, V>(max: number): (key: K, compute: () => V) => V {
  const values = new Map<K, V>();
  return (key, compute) => {
    const known = values.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (values.size >= max) values.clear();
    values.set(key, value);
    return value;
  };
}
