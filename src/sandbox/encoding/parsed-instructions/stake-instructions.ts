import {
  type InstructionAccounts,
  type InstructionParser,
  NotParsableError,
  type ParsedInfo,
} from "./instruction-reader.js";

const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111";
const RENT_SYSVAR = "SysvarRent111111111111111111111111111111111";
const STAKE_CONFIG = "StakeConfig11111111111111111111111111111111";
const STAKE_AUTHORIZE = ["Staker", "Withdrawer"] as const;

/** Names the accounts from `from` on, when present. */
function optional(accounts: InstructionAccounts, from: number, names: string[]): ParsedInfo {
  const info: ParsedInfo = {};
  names.forEach((name, i) => {
    const key = accounts.keys[from + i];
    if (key !== undefined) info[name] = key;
  });
  return info;
}

/** Stake program's common instructions, legacy (with sysvars) and minimal account layouts. */
export const parseStakeInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u32();
  const clockAt = (i: number) => accounts.keys[i] === CLOCK_SYSVAR;
  switch (tag) {
    case 0: {
      const authorized = { staker: data.pubkey(), withdrawer: data.pubkey() };
      const lockup = { unixTimestamp: data.i64(), epoch: data.u64(), custodian: data.pubkey() };
      const stakeAccount = accounts.require(1).at(0);
      const rent = accounts.keys[1] === RENT_SYSVAR ? { rentSysvar: RENT_SYSVAR } : {};
      return { type: "initialize", info: { stakeAccount, ...rent, authorized, lockup } };
    }
    case 1: {
      const newAuthority = data.pubkey();
      const authorityType = STAKE_AUTHORIZE[data.u32()];
      if (!authorityType) throw new NotParsableError("unknown stake authority type");
      const base = { stakeAccount: accounts.require(2).at(0), newAuthority, authorityType };
      const rest = clockAt(1)
        ? {
            clockSysvar: CLOCK_SYSVAR,
            authority: accounts.require(3).at(2),
            ...optional(accounts, 3, ["custodian"]),
          }
        : { authority: accounts.at(1), ...optional(accounts, 2, ["custodian"]) };
      return { type: "authorize", info: { ...base, ...rest } };
    }
    case 2: {
      const base = accounts.require(3).named("stakeAccount", "voteAccount");
      if (!clockAt(2))
        return { type: "delegate", info: { ...base, stakeAuthority: accounts.at(2) } };
      const info = accounts
        .require(5)
        .named("stakeAccount", "voteAccount", "clockSysvar", "stakeHistorySysvar");
      const rest =
        accounts.at(4) === STAKE_CONFIG
          ? { stakeConfigAccount: STAKE_CONFIG, ...optional(accounts, 5, ["stakeAuthority"]) }
          : { stakeAuthority: accounts.at(4) };
      return { type: "delegate", info: { ...info, ...rest } };
    }
    case 3: {
      const lamports = data.u64();
      const info = accounts.named("stakeAccount", "newSplitAccount");
      return {
        type: "split",
        info: { ...info, lamports, ...optional(accounts, 2, ["stakeAuthority"]) },
      };
    }
    case 4: {
      const lamports = data.u64();
      const base = { ...accounts.require(3).named("stakeAccount", "destination"), lamports };
      const rest = clockAt(2)
        ? {
            clockSysvar: CLOCK_SYSVAR,
            stakeHistorySysvar: accounts.require(5).at(3),
            withdrawAuthority: accounts.at(4),
            ...optional(accounts, 5, ["custodian"]),
          }
        : { withdrawAuthority: accounts.at(2), ...optional(accounts, 3, ["custodian"]) };
      return { type: "withdraw", info: { ...base, ...rest } };
    }
    case 5: {
      const stakeAccount = accounts.require(2).at(0);
      const rest = clockAt(1)
        ? { clockSysvar: CLOCK_SYSVAR, ...optional(accounts, 2, ["stakeAuthority"]) }
        : { stakeAuthority: accounts.at(1) };
      return { type: "deactivate", info: { stakeAccount, ...rest } };
    }
    case 7: {
      const base = accounts.require(3).named("destination", "source");
      const rest = clockAt(2)
        ? {
            clockSysvar: CLOCK_SYSVAR,
            stakeHistorySysvar: accounts.require(4).at(3),
            ...optional(accounts, 4, ["stakeAuthority"]),
          }
        : { stakeAuthority: accounts.at(2) };
      return { type: "merge", info: { ...base, ...rest } };
    }
    default:
      throw new NotParsableError(`stake instruction ${tag} is not parsed here`);
  }
};
