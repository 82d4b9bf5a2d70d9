/**
 * A minimal sBPF program that returns success for any input: `mov64 r0, 0; exit`, wrapped in the
 * smallest ELF the BPF loader accepts (one PT_LOAD, sections null/.text/.shstrtab). The demo's
 * transfer-hook token points at it so that transfers run the hook and still succeed.
 */
export function createNoopProgramElf(): Uint8Array {
  const text = Uint8Array.from([0xb7, 0, 0, 0, 0, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0]);
  const names = new TextEncoder().encode("\0.text\0.shstrtab\0");
  const textOffset = 64 + 56;
  const namesOffset = textOffset + text.length;
  const sectionsOffset = align(namesOffset + names.length, 8);
  const bytes = new Uint8Array(sectionsOffset + 3 * 64);
  const view = new DataView(bytes.buffer);
  bytes.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], 0);
  view.setUint16(16, 3, true); // ET_DYN
  view.setUint16(18, 247, true); // EM_BPF
  view.setUint32(20, 1, true);
  view.setBigUint64(24, BigInt(textOffset), true); // entry
  view.setBigUint64(32, 64n, true); // program headers
  view.setBigUint64(40, BigInt(sectionsOffset), true);
  view.setUint16(52, 64, true);
  view.setUint16(54, 56, true);
  view.setUint16(56, 1, true);
  view.setUint16(58, 64, true);
  view.setUint16(60, 3, true);
  view.setUint16(62, 2, true); // .shstrtab index
  // PT_LOAD, read + execute, mapping .text at its file offset.
  view.setUint32(64, 1, true);
  view.setUint32(68, 5, true);
  for (const at of [72, 80, 88]) view.setBigUint64(at, BigInt(textOffset), true);
  view.setBigUint64(96, BigInt(text.length), true);
  view.setBigUint64(104, BigInt(text.length), true);
  view.setBigUint64(112, 0x1000n, true);
  bytes.set(text, textOffset);
  bytes.set(names, namesOffset);
  const section = (
    index: number,
    name: number,
    type: number,
    flags: number,
    addr: number,
    offset: number,
    size: number,
  ) => {
    const at = sectionsOffset + index * 64;
    view.setUint32(at, name, true);
    view.setUint32(at + 4, type, true);
    view.setBigUint64(at + 8, BigInt(flags), true);
    view.setBigUint64(at + 16, BigInt(addr), true);
    view.setBigUint64(at + 24, BigInt(offset), true);
    view.setBigUint64(at + 32, BigInt(size), true);
    view.setBigUint64(at + 48, 1n, true);
  };
  section(1, 1, 1, 6, textOffset, textOffset, text.length);
  section(2, 7, 3, 0, 0, namesOffset, names.length);
  return bytes;
}

function align(value: number, to: number): number {
  return Math.ceil(value / to) * to;
}
