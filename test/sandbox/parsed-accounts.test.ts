import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import { encodeAccount } from "../../src/sandbox/encoding/account-encoding.js";
import { addressToBytes } from "../../src/sandbox/encoding/base58.js";

// Layouts no transaction in the sandbox produces (legacy versions, edge states), built byte by
// byte as bincode lays them out, against what agave's account-decoder makes of them.

const KEY = "4QUZQ4c7bZuJ4o4L8tYAEGnePFV27SUFEVmC7BYfsXRp" as Address;
const OTHER = "HMU77m6WSL9Xew9YvVCgz1hLuhzamz74eD9avi4XPdr" as Address;
const key = (address: Address) => Buffer.from(addressToBytes(address) as Uint8Array);
const u32 = (n: number) => Buffer.from(Uint32Array.of(n).buffer);
const u64 = (n: bigint) => {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(n);
  return out;
};

function parse(owner: string, data: Buffer, address: Address = KEY) {
  const account = { lamports: 1n, owner: owner as Address, data, executable: false };
  return encodeAccount(account, { encoding: "jsonParsed" }, () => null, address).data;
}

describe("jsonParsed layouts", () => {
  it("starts a program-data payload 32 bytes early when it has no upgrade authority", () => {
    const elf = Buffer.from("ELF!");
    const data = Buffer.concat([u32(3), u64(42n), Buffer.from([0]), Buffer.alloc(32), elf]);
    expect(parse("BPFLoaderUpgradeab1e11111111111111111111111", data)).toEqual({
      program: "bpf-upgradeable-loader",
      parsed: {
        type: "programData",
        info: {
          slot: 42n,
          authority: null,
          data: [Buffer.concat([Buffer.alloc(32), elf]).toString("base64"), "base64"],
        },
      },
      space: BigInt(data.length),
    });
  });

  it("reads lookup tables: uninitialized, and misaligned addresses as unparsable", () => {
    expect(parse("AddressLookupTab1e1111111111111111111111111", Buffer.alloc(56))).toMatchObject({
      parsed: { type: "uninitialized" },
    });
    const meta = Buffer.concat([u32(1), u64(2n ** 64n - 1n), u64(7n), Buffer.from([0, 0, 0, 0])]);
    const table = Buffer.concat([meta, Buffer.alloc(56 - meta.length), key(OTHER)]);
    expect(parse("AddressLookupTab1e1111111111111111111111111", table)).toMatchObject({
      parsed: {
        type: "lookupTable",
        info: {
          deactivationSlot: "18446744073709551615",
          lastExtendedSlot: "7",
          addresses: [OTHER],
        },
      },
    });
    const misaligned = Buffer.concat([table, Buffer.alloc(5)]);
    expect(parse("AddressLookupTab1e1111111111111111111111111", misaligned)).toEqual([
      misaligned.toString("base64"),
      "base64",
    ]);
  });

  it("leaves an uninitialized nonce, a stake reward pool and a non-info config as agave does", () => {
    const zeros = Buffer.alloc(80);
    expect(parse("11111111111111111111111111111111", zeros)).toEqual([
      zeros.toString("base64"),
      "base64",
    ]);
    expect(parse("Stake11111111111111111111111111111111111111", u32(3))).toMatchObject({
      parsed: { type: "rewardsPool" },
    });
    const config = Buffer.concat([Buffer.from([1]), key(OTHER), Buffer.from([0]), u64(0n)]);
    expect(parse("Config1111111111111111111111111111111111111", config)).toEqual([
      config.toString("base64"),
      "base64",
    ]);
  });

  it("reads a legacy (1.14.11) vote state through agave's V4 view", () => {
    const data = Buffer.concat([
      u32(1),
      key(OTHER), // node
      key(OTHER), // withdrawer
      Buffer.from([10]), // commission
      u64(1n),
      u64(99n),
      u32(3), // one lockout
      Buffer.from([1]),
      u64(98n), // root slot
      u64(1n),
      u64(5n),
      key(KEY), // authorized voters
      Buffer.alloc(32 * 48 + 8 + 1), // prior voters
      u64(0n), // epoch credits
      u64(99n),
      u64(1_700_000_000n), // last timestamp
    ]);
    expect(parse("Vote111111111111111111111111111111111111111", data)).toMatchObject({
      program: "vote",
      parsed: {
        type: "vote",
        info: {
          commission: 10,
          votes: [{ latency: 0, slot: 99n, confirmationCount: 3 }],
          rootSlot: 98n,
          authorizedVoters: [{ epoch: 5n, authorizedVoter: KEY }],
          lastTimestamp: { slot: 99n, timestamp: 1_700_000_000n },
          inflationRewardsCommissionBps: 1000,
          inflationRewardsCollector: KEY,
          blockRevenueCollector: OTHER,
        },
      },
    });
  });

  it("prints the slot history bits least significant first, 2^20 of them", () => {
    const blocks = Buffer.alloc(16384 * 8);
    blocks.writeBigUInt64LE((1n << 63n) | 0b101n, 0);
    const data = Buffer.concat([Buffer.from([1]), u64(16384n), blocks, u64(1n << 20n), u64(64n)]);
    const parsed = parse(
      "Sysvar1111111111111111111111111111111111111",
      data,
      "SysvarS1otHistory11111111111111111111111111" as Address,
    ) as {
      parsed: { info: { nextSlot: bigint; bits: string } };
    };
    expect(parsed.parsed.info.nextSlot).toBe(64n);
    expect(parsed.parsed.info.bits.length).toBe(1 << 20);
    expect(parsed.parsed.info.bits.slice(0, 3)).toBe("101");
    expect(parsed.parsed.info.bits[63]).toBe("1");
    expect(parsed.parsed.info.bits.indexOf("1", 64)).toBe(-1);
  });
});
