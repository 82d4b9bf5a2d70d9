import { address } from "@solana/kit";
import type { ChainClient } from "../chain/chain-client.js";
import type { UserId, WalletId } from "../core/ids.js";
import { OspreyError } from "../core/osprey-error.js";
import type { Store } from "../store/store.js";
import { getWalletBalances } from "../wallet/get-wallet-balances.js";

/** What automation reads from the chain: a mint's decimals and a wallet's holding of a mint. */
export function createAutomationChainReads(
  chain: Pick<ChainClient, "rpc">,
  store: Pick<Store, "wallets">,
) {
  return {
    async getDecimals(mint: string): Promise<number> {
      try {
        // A commitment is required: without one kit sends `{}`, which a validator refuses.
        const supply = await chain.rpc
          .getTokenSupply(address(mint), { commitment: "confirmed" })
          .send();
        return supply.value.decimals;
      } catch (cause) {
        throw new OspreyError(
          "INVALID_INPUT",
          "mint is not a token mint.",
          { field: "mint" },
          { cause },
        );
      }
    },
    async getHolding(trigger: { userId: string; walletId: string; mint: string }): Promise<bigint> {
      const wallet = await store.wallets.findForUser(
        trigger.userId as UserId,
        trigger.walletId as WalletId,
      );
      if (!wallet) return 0n;
      const balances = await getWalletBalances(chain.rpc, address(wallet.publicKey));
      return balances.tokens
        .filter((token) => token.mint === trigger.mint)
        .reduce((sum, token) => sum + token.amount, 0n);
    },
  };
}
