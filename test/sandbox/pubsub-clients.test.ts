import {
  createSolanaRpcSubscriptions,
  generateKeyPairSigner,
  type KeyPairSigner,
  type Signature,
} from "@solana/kit";
import {
  type Connection,
  type Context,
  type KeyedAccountInfo,
  Keypair,
  type Logs,
  type PublicKey,
  SystemProgram,
  Transaction,
} from "@solana/web3.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { rawRpc, signTransferAtLatest } from "./rpc-helpers.js";
import { createWeb3Connection } from "./web3-connection.js";

const SYSTEM = "11111111111111111111111111111111";
const TRANSFER_LOGS = [`Program ${SYSTEM} invoke [1]`, `Program ${SYSTEM} success`];
const INSUFFICIENT = { InstructionError: [0, { Custom: 1 }] };

let sandbox: RunningSandbox;
let connection: Connection;
const controllers: AbortController[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  // Past the first 32 slots, where the finalized slot (the root) stays at the first one.
  sandbox.chain.advance(40);
  connection = createWeb3Connection(sandbox, "processed");
});

afterAll(async () => {
  for (const controller of controllers) controller.abort();
  await sandbox.close();
});

/**
 * web3.js v1 subscribes in the background with no promise to await, so the trigger repeats
 * until the callback has fired (each repetition is a new transaction or slot).
 */
async function untilCalled<T>(received: Promise<T>, trigger: () => Promise<unknown> | unknown) {
  let done = false;
  const result = received.finally(() => {
    done = true;
  });
  for (let i = 0; i < 50 && !done; i++) {
    await trigger();
    await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return result;
}

async function web3Transfer(from: Keypair, to: PublicKey, lamports: number) {
  const tx = new Transaction().add(
    SystemProgram.transfer({ fromPubkey: from.publicKey, toPubkey: to, lamports }),
  );
  const signature = await connection.sendTransaction(tx, [from], { skipPreflight: true });
  sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
  return signature;
}

function fundedKeypair(lamports = 10_000_000_000n) {
  const keypair = Keypair.generate();
  sandbox.chain.airdrop(keypair.publicKey.toBase58() as KeyPairSigner["address"], lamports);
  return keypair;
}

describe("PubSub with @solana/web3.js v1", () => {
  it("onLogs('all') gets a transfer's logs and a failed transaction's", async () => {
    const payer = fundedKeypair();
    const recipient = Keypair.generate().publicKey;
    const seen = new Map<string, Logs>();
    const sent: string[] = [];
    let wake = () => {};
    const id = connection.onLogs(
      "all",
      (logs) => {
        seen.set(logs.signature, logs);
        wake();
      },
      "processed",
    );
    const waitFor = (wanted: () => string[]) =>
      new Promise<Logs>((resolve) => {
        wake = () => {
          const found = wanted().find((signature) => seen.has(signature));
          if (found) resolve(seen.get(found) as Logs);
        };
        wake();
      });
    let amount = 1_000_000;
    const ok = await untilCalled(
      waitFor(() => sent),
      // A repeated transfer must differ: web3.js refuses to sign the same one twice.
      async () => sent.push(await web3Transfer(payer, recipient, amount++)),
    );
    expect(sent).toContain(ok.signature);
    expect(ok).toEqual({ signature: ok.signature, err: null, logs: TRANSFER_LOGS });

    const poor = fundedKeypair(1_000_000n);
    const failed = await web3Transfer(poor, recipient, 5_000_000);
    const failure = await waitFor(() => [failed]);
    expect(failure.err).toEqual(INSUFFICIENT);
    expect(failure.logs).toContain("Transfer: insufficient lamports 995000, need 5000000");
    await connection.removeOnLogsListener(id);
  });

  it("onLogs(PublicKey) gets only transactions mentioning it", async () => {
    const payer = fundedKeypair();
    const watched = Keypair.generate().publicKey;
    const other = Keypair.generate().publicKey;
    const seen: { logs: Logs; context: Context }[] = [];
    const id = connection.onLogs(watched, (logs, context) => seen.push({ logs, context }));
    const signatures: string[] = [];
    await untilCalled(
      new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (seen.length > 0) {
            clearInterval(timer);
            resolve();
          }
        }, 10);
      }),
      async () => {
        await web3Transfer(payer, other, 1_000);
        signatures.push(await web3Transfer(payer, watched, 1_000_000 + signatures.length));
      },
    );
    const [first] = seen;
    expect(signatures).toContain(first?.logs.signature);
    expect(first?.logs.logs).toEqual(TRANSFER_LOGS);
    await connection.removeOnLogsListener(id);
  });

  it("onProgramAccountChange(System) gets each written system account", async () => {
    const payer = fundedKeypair();
    const recipient = Keypair.generate().publicKey;
    let id = 0;
    let sent = 0;
    const change = await untilCalled(
      new Promise<KeyedAccountInfo>((resolve) => {
        id = connection.onProgramAccountChange(
          SystemProgram.programId,
          (info) => {
            if (info.accountId.equals(recipient)) resolve(info);
          },
          { commitment: "processed", filters: [{ dataSize: 0 }] },
        );
      }),
      () => web3Transfer(payer, recipient, 2_000_000 + sent++),
    );
    expect(change.accountInfo.owner.equals(SystemProgram.programId)).toBe(true);
    expect(change.accountInfo.lamports).toBeGreaterThanOrEqual(2_000_000);
    expect(change.accountInfo.data.length).toBe(0);
    await connection.removeProgramAccountChangeListener(id);
  });

  it("onRootChange gets the new root", async () => {
    let id = 0;
    const root = await untilCalled(
      new Promise<number>((resolve) => {
        id = connection.onRootChange(resolve);
      }),
      () => sandbox.chain.advance(1),
    );
    expect(root).toBe(Number(sandbox.chain.getSlot("finalized")));
    await connection.removeRootChangeListener(id);
  });
});

describe("PubSub with @solana/kit", () => {
  let payer: KeyPairSigner;

  beforeAll(async () => {
    payer = await generateKeyPairSigner();
    sandbox.chain.airdrop(payer.address, 10_000_000_000n);
  });

  function subscriptions() {
    const controller = new AbortController();
    controllers.push(controller);
    return {
      rpcSubscriptions: createSolanaRpcSubscriptions(sandbox.wsUrls[0] as string),
      abortSignal: controller.signal,
    };
  }

  /** Signs a transfer and returns its signature with a function that sends it. */
  async function signed(from: KeyPairSigner, to: string, amount: bigint) {
    const url = sandbox.rpcUrls[0] as string;
    const { wire, signature } = await signTransferAtLatest(url, from, to, amount);
    const send = async () => {
      await rawRpc(url, "sendTransaction", [wire, { encoding: "base64", skipPreflight: true }]);
      sandbox.chain.advance(1); // sent without preflight: lands as the slot ends
    };
    return { signature: signature as Signature, send };
  }

  /**
   * The first value that passes `wanted`, from an iterator opened before the trigger (a kit
   * subscription drops what arrives while no iterator waits, and ending a for-await unsubscribes).
   */
  async function first<T>(iterator: AsyncIterator<T>, wanted: (value: T) => boolean) {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) throw new Error("subscription ended");
      if (wanted(value)) return value;
    }
  }

  it("logsNotifications('all') and with mentions: a transfer and a failed transaction", async () => {
    const { rpcSubscriptions, abortSignal } = subscriptions();
    const recipient = await generateKeyPairSigner();
    const all = (
      await rpcSubscriptions
        .logsNotifications("all", { commitment: "processed" })
        .subscribe({ abortSignal })
    )[Symbol.asyncIterator]();
    const mentions = (
      await rpcSubscriptions
        .logsNotifications({ mentions: [recipient.address] }, { commitment: "processed" })
        .subscribe({ abortSignal })
    )[Symbol.asyncIterator]();
    // Each wait starts (its next() is pending) before the transaction that answers it is sent.
    const transfer = await signed(payer, recipient.address, 1_000_000n);
    const { signature } = transfer;
    const fromAllPending = first(all, (note) => note.value.signature === signature);
    const fromMentionsPending = first(mentions, () => true);
    await transfer.send();
    const fromAll = await fromAllPending;
    expect(fromAll.value).toEqual({ signature, err: null, logs: TRANSFER_LOGS });
    expect(fromAll.context.slot).toBe(sandbox.chain.getTransaction(signature)?.slot);
    const fromMentions = await fromMentionsPending;
    expect(fromMentions.value.signature).toBe(signature);

    const poor = await generateKeyPairSigner();
    sandbox.chain.airdrop(poor.address, 1_000_000n);
    const failing = await signed(poor, recipient.address, 5_000_000n);
    const failurePending = first(mentions, () => true);
    await failing.send();
    const failed = failing.signature;
    const failure = await failurePending;
    expect(failure.value.signature).toBe(failed);
    expect(failure.value.err).toEqual({ InstructionError: [0n, { Custom: 1n }] });
  });

  it("programNotifications(System) at confirmed, base64", async () => {
    const { rpcSubscriptions, abortSignal } = subscriptions();
    const recipient = await generateKeyPairSigner();
    const notes = (
      await rpcSubscriptions
        .programNotifications(SYSTEM as KeyPairSigner["address"], {
          commitment: "confirmed",
          encoding: "base64",
          filters: [{ dataSize: 0n }],
        })
        .subscribe({ abortSignal })
    )[Symbol.asyncIterator]();
    const pending = first(notes, (note) => note.value.pubkey === recipient.address);
    // Its slot ends within send(), and the next one confirms it.
    await (await signed(payer, recipient.address, 7_000_000n)).send();
    const note = await pending;
    expect(note.value.account).toEqual({
      data: ["", "base64"],
      executable: false,
      lamports: 7_000_000n,
      owner: SYSTEM,
      rentEpoch: 18_446_744_073_709_551_615n,
      space: 0n,
    });
    expect(note.context.slot).toBe(sandbox.chain.getSlot("confirmed"));
  });
});
