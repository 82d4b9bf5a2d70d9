import type { Address } from "@solana/kit";
import { bytesToAddress, bytesToBase58 } from "../base58.js";
import { LittleEndianReader } from "../little-endian-reader.js";

/** Thrown on truncated or malformed input; parsers turn it into "not parsable" (base64 fallback). */
export class BincodeError extends Error {}

/**
 * A cursor over bincode 1 data as Rust's `bincode::deserialize` reads it: little-endian fixed-width
 * integers, u64 lengths for Vec/String, a one-byte Option tag, a u32 enum tag; trailing bytes allowed.
 */
export class BincodeReader extends LittleEndianReader {
  protected tooShort(): Error {
    return new BincodeError("unexpected end of data");
  }

  f64(): number {
    return this.view.getFloat64(this.need(8), true);
  }

  bool(): boolean {
    const value = this.u8();
    if (value > 1) throw new BincodeError("invalid bool");
    return value === 1;
  }

  pubkey(): Address {
    return bytesToAddress(this.take(32));
  }

  /** A 32-byte hash, base58 as agave prints `Hash`. */
  hash(): string {
    return bytesToBase58(this.take(32));
  }

  option<T>(read: () => T): T | null {
    const tag = this.u8();
    if (tag > 1) throw new BincodeError("invalid option tag");
    return tag === 1 ? read() : null;
  }

  /** Vec<T> / VecDeque<T> / BTreeMap: a u64 count, then the items. */
  vec<T>(read: () => T): T[] {
    const count = this.u64();
    // Each item is at least one byte: a count past the data left is malformed, not a huge alloc.
    if (count > BigInt(this.remaining)) throw new BincodeError("length too large");
    return Array.from({ length: Number(count) }, read);
  }

  /** Solana's short_vec (compact-u16) length prefix, as ConfigKeys uses. */
  shortVecLength(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const byte = this.u8();
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
    throw new BincodeError("invalid short_vec length");
  }

  string(): string {
    const length = this.u64();
    if (length > BigInt(this.remaining)) throw new BincodeError("length too large");
    const bytes = this.take(Number(length));
    const text = new TextDecoder("utf-8", { fatal: true });
    try {
      return text.decode(bytes);
    } catch {
      throw new BincodeError("invalid utf-8");
    }
  }
}

/** Runs a parser, mapping malformed data (BincodeError) to null. */
export function tryParse<T>(parse: () => T | null): T | null {
  try {
    return parse();
  } catch (error) {
    if (error instanceof BincodeError) return null;
    throw error;
  }
}
