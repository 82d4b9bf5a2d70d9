import type { Address } from "@solana/kit";
import type { BincodeReader } from "./bincode-reader.js";
import { BincodeReader as Reader } from "./bincode-reader.js";
import { type ParsedInfo, toUiFeeCalculator } from "./parsed-account.js";
import { readSlotHistoryBits } from "./slot-history-bits.js";

type SysvarParser = (reader: BincodeReader) => ParsedInfo;

const u64String = (reader: BincodeReader) => reader.u64().toString();

/** Each sysvar agave parses, by address, in agave's UI shapes. */
const SYSVARS: Record<string, SysvarParser> = {
  SysvarC1ock11111111111111111111111111111111: (r) => ({
    type: "clock",
    info: {
      slot: r.u64(),
      epochStartTimestamp: r.i64(),
      epoch: r.u64(),
      leaderScheduleEpoch: r.u64(),
      unixTimestamp: r.i64(),
    },
  }),
  SysvarEpochSchedu1e111111111111111111111111: (r) => ({
    type: "epochSchedule",
    info: {
      slotsPerEpoch: r.u64(),
      leaderScheduleSlotOffset: r.u64(),
      warmup: r.bool(),
      firstNormalEpoch: r.u64(),
      firstNormalSlot: r.u64(),
    },
  }),
  SysvarFees111111111111111111111111111111111: (r) => ({
    type: "fees",
    info: { feeCalculator: toUiFeeCalculator(r.u64()) },
  }),
  SysvarRecentB1ockHashes11111111111111111111: (r) => ({
    type: "recentBlockhashes",
    info: r.vec(() => ({ blockhash: r.hash(), feeCalculator: toUiFeeCalculator(r.u64()) })),
  }),
  SysvarRent111111111111111111111111111111111: (r) => {
    const lamportsPerByteYear = r.u64();
    const exemptionThreshold = r.f64();
    const burnPercent = r.u8();
    // agave 4.1 prints the rent-exempt price per byte; older agave the three fields: both given.
    const lamportsPerByte = BigInt(Math.round(Number(lamportsPerByteYear) * exemptionThreshold));
    return {
      type: "rent",
      info: {
        lamportsPerByte: lamportsPerByte.toString(),
        lamportsPerByteYear: lamportsPerByteYear.toString(),
        exemptionThreshold,
        burnPercent,
      },
    };
  },
  SysvarRewards111111111111111111111111111111: (r) => ({
    type: "rewards",
    info: { validatorPointValue: r.f64() },
  }),
  SysvarS1otHashes111111111111111111111111111: (r) => ({
    type: "slotHashes",
    info: r.vec(() => ({ slot: r.u64(), hash: r.hash() })),
  }),
  SysvarS1otHistory11111111111111111111111111: (r) => {
    const bits = readSlotHistoryBits(r);
    return { type: "slotHistory", info: { nextSlot: r.u64(), bits } };
  },
  SysvarStakeHistory1111111111111111111111111: (r) => ({
    type: "stakeHistory",
    info: r.vec(() => ({
      epoch: r.u64(),
      stakeHistory: { effective: r.u64(), activating: r.u64(), deactivating: r.u64() },
    })),
  }),
  SysvarLastRestartS1ot1111111111111111111111: (r) => ({
    type: "lastRestartSlot",
    info: { lastRestartSlot: r.u64() },
  }),
  SysvarEpochRewards1111111111111111111111111: (r) => ({
    type: "epochRewards",
    info: {
      distributionStartingBlockHeight: r.u64(),
      numPartitions: r.u64(),
      parentBlockhash: r.hash(),
      totalPoints: readU128(r),
      totalRewards: u64String(r),
      distributedRewards: u64String(r),
      active: r.bool(),
    },
  }),
};

function readU128(reader: BincodeReader): string {
  const low = reader.u64();
  const high = reader.u64();
  return ((high << 64n) | low).toString();
}

/** A sysvar account (owner Sysvar1111…): parsed by its address, or null for others. */
export function parseSysvar(data: Uint8Array, address: Address): ParsedInfo | null {
  const parse = SYSVARS[address];
  return parse ? parse(new Reader(data)) : null;
}
