/**
 * Zstandard frames (RFC 8878) for `base64+zstd`: Node 20's zlib has no zstd. The frames hold raw
 * blocks and RLE blocks only — runs of one byte (zero padding, mostly) shrink to one byte, the rest
 * is stored, no entropy coding — and any zstd decoder reads them. Small incompressible data comes
 * out byte for byte as agave's zstd encoder writes it (no content size, 2 MiB window).
 */

const MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Frame header descriptor 0 (no content size, no checksum) + window descriptor 0x58 (2 MiB). */
const STREAMING_HEADER = [0x00, 0x58];
/** Single-segment frame of content size 0, as zstd writes an empty input. */
const EMPTY_FRAME = [...MAGIC, 0x20, 0x00, 0x01, 0x00, 0x00];
const MAX_BLOCK = 128 * 1024;
/** An RLE block costs 4 bytes and splits a raw one (3 more): shorter runs stay raw. */
const MIN_RUN = 16;
const RAW = 0;
const RLE = 1;

function blockHeader(out: number[], type: number, size: number, last: boolean) {
  const value = (last ? 1 : 0) | (type << 1) | (size << 3);
  out.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff);
}

type Segment = { type: typeof RAW | typeof RLE; start: number; size: number };

/** Splits data into raw stretches and runs, each at most one block long. */
function segment(data: Uint8Array): Segment[] {
  const segments: Segment[] = [];
  const pushRange = (type: Segment["type"], start: number, end: number) => {
    for (let at = start; at < end; at += MAX_BLOCK) {
      segments.push({ type, start: at, size: Math.min(MAX_BLOCK, end - at) });
    }
  };
  let rawStart = 0;
  let i = 0;
  while (i < data.length) {
    let end = i + 1;
    while (end < data.length && data[end] === data[i]) end++;
    if (end - i >= MIN_RUN) {
      pushRange(RAW, rawStart, i);
      pushRange(RLE, i, end);
      rawStart = end;
    }
    i = end;
  }
  pushRange(RAW, rawStart, data.length);
  return segments;
}

/** One complete zstd frame whose decompression is `data`. */
export function encodeZstdFrame(data: Uint8Array): Uint8Array {
  if (data.length === 0) return Uint8Array.from(EMPTY_FRAME);
  const segments = segment(data);
  const head: number[] = [...MAGIC, ...STREAMING_HEADER];
  const parts: Uint8Array[] = [];
  let total = 0;
  segments.forEach((seg, index) => {
    const header: number[] = index === 0 ? head : [];
    blockHeader(header, seg.type, seg.size, index === segments.length - 1);
    const body =
      seg.type === RLE
        ? data.subarray(seg.start, seg.start + 1)
        : data.subarray(seg.start, seg.start + seg.size);
    parts.push(Uint8Array.from(header), body);
    total += header.length + body.length;
  });
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
