import type { Address, KeyPairSigner } from "@solana/kit";
import { AccountState, type ExtensionArgs } from "@solana-program/token-2022";
import type { TokenHolder } from "./create-token.js";
import type { DemoTokenSpec } from "./demo-tokens.js";

/** The Token-2022 mint extensions that make a demo token risky. */
export function extensionsFor(
  spec: DemoTokenSpec,
  creator: Address,
  hookProgram: Address,
): ExtensionArgs[] {
  const list: ExtensionArgs[] = [];
  for (const risk of spec.risks) {
    if (risk === "transfer-fee-99") {
      const fee = { epoch: 0n, maximumFee: (1n << 64n) - 1n, transferFeeBasisPoints: 9_900 };
      list.push({
        __kind: "TransferFeeConfig",
        transferFeeConfigAuthority: creator,
        withdrawWithheldAuthority: creator,
        withheldAmount: 0n,
        olderTransferFee: fee,
        newerTransferFee: fee,
      });
    }
    if (risk === "permanent-delegate")
      list.push({ __kind: "PermanentDelegate", delegate: creator });
    if (risk === "non-transferable") list.push({ __kind: "NonTransferable" });
    if (risk === "default-frozen")
      list.push({ __kind: "DefaultAccountState", state: AccountState.Frozen });
    if (risk === "transfer-hook")
      list.push({ __kind: "TransferHook", authority: creator, programId: hookProgram });
  }
  return list;
}

/** The pool's share to the pool authority, the rest split equally among holder wallets. */
export async function holdersFor(
  spec: DemoTokenSpec,
  pool: Address,
  holder: (index: number) => Promise<KeyPairSigner>,
): Promise<TokenHolder[]> {
  const total = spec.supply * 10n ** BigInt(spec.decimals);
  const inPool = (total * BigInt(spec.poolShareBps)) / 10_000n;
  const each = (total - inPool) / BigInt(spec.holders);
  const list: TokenHolder[] = [{ owner: pool, amount: inPool }];
  for (let i = 0; i < spec.holders; i++)
    list.push({ owner: (await holder(i)).address, amount: each });
  return list;
}
