import {
  type Address,
  appendTransactionMessageInstructions,
  compileTransaction,
  createNoopSigner,
  createTransactionMessage,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Transaction,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
} from "@solana-program/token";
import type { ChainClient } from "../chain/chain-client.js";
import { OspreyError } from "../core/osprey-error.js";
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from "../core/token-programs.js";
import type { WithdrawalRequest } from "./withdrawal-request.js";

/** Solana's base fee: 5,000 lamports per signature; a withdrawal has one and no priority fee. */
export const NETWORK_FEE_LAMPORTS = 5_000n;
/** An SPL Token account's size; Token-2022 accounts carry extensions, bounded here generously. */
const TOKEN_ACCOUNT_SIZE = 165n;
const TOKEN_2022_ACCOUNT_SIZE_BOUND = 300n;

export interface PlannedWithdrawal {
  /** The unsigned transaction: its message is what the session key signs. */
  readonly transaction: Transaction;
  readonly lastValidBlockHeight: bigint;
  readonly expectedFeeLamports: bigint;
  /** The recipient's associated token account is created in the same transaction (rent paid). */
  readonly createsTokenAccount: boolean;
  readonly tokenProgram: "spl-token" | "token-2022" | null;
}

export type WithdrawalChain = Pick<ChainClient, "rpc" | "blockhashes">;

interface AccountView {
  readonly lamports: bigint;
  readonly owner: string;
  readonly data: Buffer;
}

async function readAccounts(
  chain: WithdrawalChain,
  addresses: readonly Address[],
): Promise<(AccountView | null)[]> {
  const { value } = await chain.rpc
    .getMultipleAccounts([...addresses], { encoding: "base64", commitment: "confirmed" })
    .send();
  return value.map((account) =>
    account === null
      ? null
      : {
          lamports: BigInt(account.lamports),
          owner: account.owner,
          data: Buffer.from(account.data[0], "base64"),
        },
  );
}

const isTokenProgram = (owner: string) => owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;

function insufficient(available: bigint, mint: string | null, extra: Record<string, string> = {}) {
  return new OspreyError(
    "INSUFFICIENT_BALANCE",
    mint === null
      ? `The wallet can send at most ${available} lamports after the network fee.`
      : `The wallet holds ${available} base units of this token.`,
    { available: available.toString(), mint, ...extra },
  );
}

/**
 * The lamports left in the paying wallet must be none or at least the rent-exempt minimum: the
 * chain refuses a transaction that leaves a system account holding less (rent state rule).
 */
function assertPayerRemainder(
  balance: bigint,
  spent: bigint,
  rentMinimum: bigint,
  mint: string | null,
) {
  const remainder = balance - spent;
  if (remainder < 0n)
    throw mint === null
      ? insufficient(balance > NETWORK_FEE_LAMPORTS ? balance - NETWORK_FEE_LAMPORTS : 0n, null)
      : new OspreyError(
          "INSUFFICIENT_BALANCE",
          `The wallet needs ${spent} lamports of SOL for the network fee and the recipient's token account, and holds ${balance}.`,
          { available: balance.toString(), mint: null, needed: spent.toString() },
        );
  if (remainder > 0n && remainder < rentMinimum)
    throw new OspreyError(
      mint === null ? "INVALID_AMOUNT" : "INSUFFICIENT_BALANCE",
      `That would leave ${remainder} lamports in the wallet, below the ${rentMinimum} the chain requires of an account that is not empty: send everything or leave at least ${rentMinimum}.`,
      {
        available: (balance > NETWORK_FEE_LAMPORTS
          ? balance - NETWORK_FEE_LAMPORTS
          : 0n
        ).toString(),
        minimumRemaining: rentMinimum.toString(),
        mint: null,
      },
    );
}

function compile(
  owner: Address,
  blockhash: Awaited<ReturnType<WithdrawalChain["blockhashes"]["get"]>>,
  instructions: readonly Instruction[],
): Transaction {
  return compileTransaction(
    pipe(
      createTransactionMessage({ version: 0 }),
      (message) => setTransactionMessageFeePayer(owner, message),
      (message) =>
        setTransactionMessageLifetimeUsingBlockhash(
          { blockhash: blockhash.blockhash, lastValidBlockHeight: blockhash.lastValidBlockHeight },
          message,
        ),
      (message) => appendTransactionMessageInstructions(instructions, message),
    ),
  );
}

/**
 * Reads what the withdrawal needs (balances, the recipient, the mint) in one round trip, refuses
 * what would fail on chain, and builds the unsigned transaction. Nothing is written or signed.
 */
export async function planWithdrawal(
  chain: WithdrawalChain,
  owner: Address,
  request: WithdrawalRequest,
): Promise<PlannedWithdrawal> {
  const to = request.to as string as Address;
  const signer = createNoopSigner(owner);
  if (request.mint === null) {
    const [[payer, recipient], rentMinimum, blockhash] = await Promise.all([
      readAccounts(chain, [owner, to]),
      chain.rpc.getMinimumBalanceForRentExemption(0n).send(),
      chain.blockhashes.get(),
    ]);
    if (recipient && isTokenProgram(recipient.owner)) throw tokenAccountRecipient();
    const balance = payer?.lamports ?? 0n;
    assertPayerRemainder(balance, request.amount + NETWORK_FEE_LAMPORTS, rentMinimum, null);
    if (!recipient && request.amount < rentMinimum)
      throw new OspreyError(
        "INVALID_AMOUNT",
        `The recipient has no account yet: the chain needs at least ${rentMinimum} lamports to open it.`,
        { minimum: rentMinimum.toString() },
      );
    const transfer = getTransferSolInstruction({
      source: signer,
      destination: to,
      amount: request.amount,
    });
    return {
      transaction: compile(owner, blockhash, [transfer]),
      lastValidBlockHeight: blockhash.lastValidBlockHeight,
      expectedFeeLamports: NETWORK_FEE_LAMPORTS,
      createsTokenAccount: false,
      tokenProgram: null,
    };
  }

  const mint = request.mint as string as Address;
  const [mintAccount, recipient] = await readAccounts(chain, [mint, to]);
  if (!mintAccount) throw new OspreyError("TOKEN_NOT_FOUND", undefined, { mint });
  if (!isTokenProgram(mintAccount.owner) || mintAccount.data.length < 82)
    throw new OspreyError("NOT_A_MINT", undefined, { mint });
  if (recipient && isTokenProgram(recipient.owner)) throw tokenAccountRecipient();
  const tokenProgram = mintAccount.owner as Address;
  const decimals = mintAccount.data[44] ?? 0;
  const [[source], [destination]] = await Promise.all([
    findAssociatedTokenPda({ owner, mint, tokenProgram }),
    findAssociatedTokenPda({ owner: to, mint, tokenProgram }),
  ]);
  const isToken2022 = tokenProgram === TOKEN_2022_PROGRAM;
  const [[payer, sourceAccount, destinationAccount], accountRent, rentMinimum, blockhash] =
    await Promise.all([
      readAccounts(chain, [owner, source, destination]),
      chain.rpc
        .getMinimumBalanceForRentExemption(
          isToken2022 ? TOKEN_2022_ACCOUNT_SIZE_BOUND : TOKEN_ACCOUNT_SIZE,
        )
        .send(),
      chain.rpc.getMinimumBalanceForRentExemption(0n).send(),
      chain.blockhashes.get(),
    ]);
  // Amount: bytes 64..72 of a token account, in both programs' layouts.
  const held =
    sourceAccount && sourceAccount.owner === tokenProgram && sourceAccount.data.length >= 72
      ? sourceAccount.data.readBigUInt64LE(64)
      : 0n;
  if (request.amount > held) throw insufficient(held, mint);
  const createsTokenAccount = !destinationAccount;
  assertPayerRemainder(
    payer?.lamports ?? 0n,
    NETWORK_FEE_LAMPORTS + (createsTokenAccount ? accountRent : 0n),
    rentMinimum,
    mint,
  );
  const instructions: Instruction[] = [];
  if (createsTokenAccount)
    instructions.push(
      getCreateAssociatedTokenIdempotentInstruction({
        payer: signer,
        ata: destination,
        owner: to,
        mint,
        tokenProgram,
      }),
    );
  instructions.push(
    getTransferCheckedInstruction(
      { source, mint, destination, authority: signer, amount: request.amount, decimals },
      { programAddress: tokenProgram },
    ),
  );
  return {
    transaction: compile(owner, blockhash, instructions),
    lastValidBlockHeight: blockhash.lastValidBlockHeight,
    expectedFeeLamports: NETWORK_FEE_LAMPORTS,
    createsTokenAccount,
    tokenProgram: isToken2022 ? "token-2022" : "spl-token",
  };
}

function tokenAccountRecipient(): OspreyError {
  return new OspreyError(
    "INVALID_ADDRESS",
    "to is a token account or a mint, not a wallet: send to the owner's wallet address.",
    { field: "to" },
  );
}
