import { BincodeReader } from "./bincode-reader.js";
import type { ParsedInfo } from "./parsed-account.js";

function readMeta(reader: BincodeReader) {
  const rentExemptReserve = reader.u64();
  const staker = reader.pubkey();
  const withdrawer = reader.pubkey();
  const unixTimestamp = reader.i64();
  const epoch = reader.u64();
  const custodian = reader.pubkey();
  return {
    rentExemptReserve: rentExemptReserve.toString(),
    authorized: { staker, withdrawer },
    lockup: { unixTimestamp, epoch, custodian },
  };
}

function readStake(reader: BincodeReader) {
  const voter = reader.pubkey();
  const stake = reader.u64();
  const activationEpoch = reader.u64();
  const deactivationEpoch = reader.u64();
  reader.f64(); // warmup_cooldown_rate: no longer in the parsed delegation (agave 4.1)
  const creditsObserved = reader.u64();
  return {
    delegation: {
      voter,
      stake: stake.toString(),
      activationEpoch: activationEpoch.toString(),
      deactivationEpoch: deactivationEpoch.toString(),
    },
    creditsObserved,
  };
}

/** A stake account (StakeStateV2); amounts and epochs of the delegation are strings, as agave's. */
export function parseStake(data: Uint8Array): ParsedInfo | null {
  const reader = new BincodeReader(data);
  switch (reader.u32()) {
    case 0:
      return { type: "uninitialized" };
    case 1:
      return { type: "initialized", info: { meta: readMeta(reader), stake: null } };
    case 2: {
      const meta = readMeta(reader);
      const stake = readStake(reader);
      reader.u8(); // StakeFlags
      return { type: "delegated", info: { meta, stake } };
    }
    case 3:
      return { type: "rewardsPool" };
    default:
      return null;
  }
}
