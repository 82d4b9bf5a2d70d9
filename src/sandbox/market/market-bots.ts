import type { Address, Instruction, KeyPairSigner } from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import * as t22 from "@solana-program/token-2022";
import type { SandboxChain } from "../index.js";
import type { ChainSender } from "./chain-sender.js";
import { getAssociatedTokenAddress } from "./create-token.js";
import { isTokenAccountFrozen, type Pool, readPoolReserves } from "./pool.js";
import { computeExactIn } from "./route-math.js";

const FREEZES_PER_TRANSACTION = 8;

export interface FreezerBot {
  chain: SandboxChain;
  sender: ChainSender;
  mint: Address;
  program: Address;
  freezeAuthority: KeyPairSigner;
  /** Accounts never frozen (the pool's vault, the issuer's own). */
  spare: ReadonlySet<Address>;
  delaySlots: number;
  onError(error: unknown): void;
}

/**
 * The freeze-authority honeypot: watches landed transactions for accounts that received the
 * mint and freezes them `delaySlots` later, so buyers can buy but never sell.
 */
export function startFreezerBot(bot: FreezerBot): () => void {
  const due = new Map<Address, bigint>();
  const offTx = bot.chain.onTransaction((record) => {
    for (const balance of record.meta.postTokenBalances) {
      const account = record.transaction.accountKeys[balance.accountIndex];
      if (balance.mint !== bot.mint || !account || bot.spare.has(account)) continue;
      if (balance.uiTokenAmount.amount !== "0" && !due.has(account)) {
        due.set(account, record.slot + BigInt(bot.delaySlots));
      }
    }
  });
  const offSlot = bot.chain.onSlot((slot) => {
    const ready = [...due].filter(([, at]) => at <= slot).map(([account]) => account);
    for (const account of ready) due.delete(account);
    const targets = ready.filter((account) => !isTokenAccountFrozen(bot.chain, account));
    for (let i = 0; i < targets.length; i += FREEZES_PER_TRANSACTION) {
      const batch = targets
        .slice(i, i + FREEZES_PER_TRANSACTION)
        .map((account) =>
          t22.getFreezeAccountInstruction(
            { account, mint: bot.mint, owner: bot.freezeAuthority },
            { programAddress: bot.program },
          ),
        );
      bot.sender.send(bot.freezeAuthority, batch).catch(bot.onError);
    }
  });
  return () => {
    offTx();
    offSlot();
  };
}

export interface DumperBot {
  chain: SandboxChain;
  sender: ChainSender;
  pool: Pool & { quote: { kind: "lamports" } };
  decimals: number;
  mintAuthority: KeyPairSigner;
  everySlots: number;
  /** Share of the pool's token reserve minted and sold per dump, in basis points. */
  dumpBps: number;
  onError(error: unknown): void;
}

/**
 * The live-mint-authority rug: whenever buyers have added SOL to the pool since the last look,
 * the issuer mints fresh tokens and sells them into the pool, taking that SOL out.
 */
export function startDumperBot(bot: DumperBot): () => void {
  const { chain, pool } = bot;
  let floor = readPoolReserves(chain, pool).quote;
  let busy = false;
  return chain.onSlot((slot) => {
    if (busy || slot % BigInt(bot.everySlots) !== 0n) return;
    const reserves = readPoolReserves(chain, pool);
    if (reserves.quote <= floor) return;
    busy = true;
    dump(bot, reserves)
      .then(() => {
        floor = readPoolReserves(chain, pool).quote;
      })
      .catch(bot.onError)
      .finally(() => {
        busy = false;
      });
  });
}

async function dump(bot: DumperBot, reserves: { base: bigint; quote: bigint }): Promise<void> {
  const { pool } = bot;
  const amount = (reserves.base * BigInt(bot.dumpBps)) / 10_000n;
  const identity = () => 0n;
  const sale = computeExactIn(
    {
      reserveIn: reserves.base,
      reserveOut: reserves.quote,
      poolFeeBps: pool.feeBps,
      inTransferFee: identity,
      outTransferFee: identity,
      inGrossForNet: (net) => net,
      outGrossForNet: (net) => net,
    },
    amount,
    0,
    "output",
  );
  if (!sale) return;
  const mint = pool.base.mint;
  const config = { programAddress: pool.base.program };
  const own = await getAssociatedTokenAddress(bot.mintAuthority.address, mint, pool.base.program);
  const steps: Instruction[] = [
    t22.getCreateAssociatedTokenIdempotentInstruction({
      payer: bot.mintAuthority,
      ata: own,
      owner: bot.mintAuthority.address,
      mint,
      tokenProgram: pool.base.program,
    }),
    t22.getMintToInstruction(
      { mint, token: own, mintAuthority: bot.mintAuthority, amount },
      config,
    ),
    t22.getTransferCheckedInstruction(
      {
        source: own,
        mint,
        destination: pool.base.address,
        authority: bot.mintAuthority,
        amount,
        decimals: bot.decimals,
      },
      config,
    ),
    // The pool pays out as it would for any seller: its authority co-signs the SOL leg.
    getTransferSolInstruction({
      source: pool.authority,
      destination: bot.mintAuthority.address,
      amount: sale.userOut,
    }),
  ];
  await bot.sender.send(bot.mintAuthority, steps);
}
