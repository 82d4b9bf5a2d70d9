/** Keys no transaction can write-lock (agave's ReservedAccountKeys, all activated): shown read-only. */
const RESERVED_ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  "AddressLookupTab1e1111111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  "BPFLoader1111111111111111111111111111111111",
  "BPFLoaderUpgradeab1e11111111111111111111111",
  "ComputeBudget111111111111111111111111111111",
  "Config1111111111111111111111111111111111111",
  "Ed25519SigVerify111111111111111111111111111",
  "Feature111111111111111111111111111111111111",
  "LoaderV411111111111111111111111111111111111",
  "KeccakSecp256k11111111111111111111111111111",
  "Secp256r1SigVerify1111111111111111111111111",
  "StakeConfig11111111111111111111111111111111",
  "Stake11111111111111111111111111111111111111",
  "11111111111111111111111111111111",
  "Vote111111111111111111111111111111111111111",
  "ZkE1Gama1Proof11111111111111111111111111111",
  "ZkTokenProof1111111111111111111111111111111",
  "SysvarC1ock11111111111111111111111111111111",
  "SysvarEpochRewards1111111111111111111111111",
  "SysvarEpochSchedu1e111111111111111111111111",
  "SysvarFees111111111111111111111111111111111",
  "Sysvar1nstructions1111111111111111111111111",
  "SysvarLastRestartS1ot1111111111111111111111",
  "SysvarRecentB1ockHashes11111111111111111111",
  "SysvarRent111111111111111111111111111111111",
  "SysvarRewards111111111111111111111111111111",
  "SysvarS1otHashes111111111111111111111111111",
  "SysvarS1otHistory11111111111111111111111111",
  "SysvarStakeHistory1111111111111111111111111",
  "NativeLoader1111111111111111111111111111111",
  "Sysvar1111111111111111111111111111111111111",
]);

const UPGRADEABLE_LOADER = "BPFLoaderUpgradeab1e11111111111111111111111";

export function isReservedAccountKey(key: string): boolean {
  return RESERVED_ACCOUNT_KEYS.has(key);
}

/**
 * Writable flags as a validator reports them: the header's flag, demoted for reserved keys and
 * for keys called as programs (unless the upgradeable loader is in the message).
 */
export function getDisplayedWritable(
  accountKeys: readonly string[],
  headerWritable: readonly boolean[],
  programIndexes: Iterable<number>,
): boolean[] {
  const programs = new Set(programIndexes);
  const loaderPresent = accountKeys.includes(UPGRADEABLE_LOADER);
  return accountKeys.map(
    (key, i) =>
      (headerWritable[i] ?? false) &&
      !RESERVED_ACCOUNT_KEYS.has(key) &&
      (loaderPresent || !programs.has(i)),
  );
}
