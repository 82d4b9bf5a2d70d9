/**
 * `perInput` damaged copies of each input, for differential tests of wire readers: about one in
 * ten cut short, and each with one byte replaced or its top bit flipped, mostly in the envelope
 * and header (the first 208 bytes), where the in-place readers look.
 */
export function damagedCopies(
  inputs: readonly Uint8Array[],
  perInput: number,
  random: () => number,
): Uint8Array[] {
  const copies: Uint8Array[] = [];
  for (const bytes of inputs) {
    for (let i = 0; i < perInput; i++) {
      const copy = bytes.slice(0, random() < 0.1 ? Math.floor(random() * bytes.length) : undefined);
      const at = Math.floor(random() * Math.min(copy.length, 64 * 2 + 80));
      copy[at] = random() < 0.5 ? Math.floor(random() * 256) : (copy[at] ?? 0) ^ 0x80;
      copies.push(copy);
    }
  }
  return copies;
}
