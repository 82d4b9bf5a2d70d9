import {
  AccountRole,
  type Address,
  address,
  generateKeyPairSigner,
  getAddressEncoder,
  getProgramDerivedAddress,
  getU64Encoder,
  type Instruction,
  type KeyPairSigner,
} from "@solana/kit";
import { getTransferSolInstruction } from "@solana-program/system";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/index.js";
import { createLander } from "./land-helpers.js";
import { rawRpc } from "./rpc-helpers.js";

const ALT_PROGRAM = address("AddressLookupTab1e1111111111111111111111111");
const SYSTEM_PROGRAM = address("11111111111111111111111111111111");

let sandbox: RunningSandbox;
let payer: KeyPairSigner;
let lander: ReturnType<typeof createLander>;

// The lookup table program's instructions (bincode: u32 variant, then fields), by hand.
function altInstruction(
  variant: number,
  fields: Uint8Array,
  accounts: { address: Address; role: AccountRole; signer?: KeyPairSigner }[],
): Instruction {
  const data = new Uint8Array(4 + fields.length);
  new DataView(data.buffer).setUint32(0, variant, true);
  data.set(fields, 4);
  return {
    programAddress: ALT_PROGRAM,
    accounts: accounts.map((a) => (a.signer ? { ...a, signer: a.signer } : a)),
    data,
  } as Instruction;
}

async function createTable(recentSlot: bigint) {
  const [table, bump] = await getProgramDerivedAddress({
    programAddress: ALT_PROGRAM,
    seeds: [getAddressEncoder().encode(payer.address), getU64Encoder().encode(recentSlot)],
  });
  const fields = new Uint8Array(9);
  fields.set(getU64Encoder().encode(recentSlot) as Uint8Array, 0);
  fields[8] = bump;
  const ix = altInstruction(0, fields, [
    { address: table, role: AccountRole.WRITABLE },
    { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer },
    { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
    { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
  ]);
  return { table, ix };
}

const authorityOnly = (table: Address, variant: number) =>
  altInstruction(variant, new Uint8Array(), [
    { address: table, role: AccountRole.WRITABLE },
    { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer },
  ]);

function extendInstruction(table: Address, addresses: Address[]) {
  const fields = new Uint8Array(8 + 32 * addresses.length);
  fields.set(getU64Encoder().encode(BigInt(addresses.length)) as Uint8Array, 0);
  addresses.forEach((a, i) => {
    fields.set(getAddressEncoder().encode(a) as Uint8Array, 8 + 32 * i);
  });
  return altInstruction(2, fields, [
    { address: table, role: AccountRole.WRITABLE },
    { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer },
    { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
    { address: SYSTEM_PROGRAM, role: AccountRole.READONLY },
  ]);
}

const transfers = (to: Address[], amount: bigint) =>
  to.map((destination) => getTransferSolInstruction({ source: payer, destination, amount }));

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, manualClock: true });
  payer = await generateKeyPairSigner();
  sandbox.chain.airdrop(payer.address, 100_000_000_000n);
  lander = createLander(sandbox, payer);
  sandbox.chain.advance(2);
});

afterAll(async () => {
  await sandbox.close();
});

describe("address lookup tables", () => {
  it("refuses a table whose recent slot is not in SlotHashes, as the program does", async () => {
    const current = sandbox.chain.getSlot("processed");
    const { ix } = await createTable(current);
    const { wire } = await lander.build([ix]);
    const refused = await rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
      wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(refused.body.error.code).toBe(-32002);
    expect(refused.body.error.data.logs).toContain(`Program log: ${current} is not a recent slot`);
    // Its parent is in SlotHashes (newest entry), so a table made from it is fine.
    const { ix: fromParent } = await createTable(current - 1n);
    await lander.land([fromParent]);
  });

  it("creates, extends, resolves v0 transactions from, deactivates and closes a table", async () => {
    const recentSlot = sandbox.chain.getSlot("confirmed");
    const { table, ix } = await createTable(recentSlot);
    await lander.land([ix]);
    const created = await lander.accountData(table);
    expect(created?.length).toBe(56);
    expect(created?.readUInt32LE(0)).toBe(1);

    const recipients = await Promise.all([1, 2, 3].map(() => generateKeyPairSigner()));
    const addresses = recipients.map((r) => r.address);
    // Extended and used in the same slot: the new addresses are not usable before the next.
    const { wire: extendWire } = await lander.build([extendInstruction(table, addresses)]);
    expect((await lander.send(extendWire)).error).toBeNull();
    await new Promise((resolve) => setImmediate(resolve));
    const early = await lander.build(transfers(addresses, 1_000_000n), {
      tables: { [table]: addresses },
    });
    const refused = await rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
      early.wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(refused.body.error).toMatchObject({
      code: -32602,
      message: "invalid transaction: Transaction address table lookup uses an invalid index",
    });
    sandbox.chain.advance(1);
    const extended = await lander.accountData(table);
    expect(extended?.length).toBe(56 + 32 * 3);

    const record = await lander.land(transfers(addresses, 1_000_000n), {
      tables: { [table]: addresses },
    });
    expect(record.transaction.version).toBe(0);
    expect(record.transaction.addressTableLookups).toHaveLength(1);
    const loaded = record.transaction.loadedAddresses.writable;
    expect([...loaded].sort()).toEqual([...addresses].sort());
    for (const a of addresses) {
      const { value } = await lander.rpc.getBalance(a, { commitment: "processed" }).send();
      expect(value).toBe(1_000_000n);
    }
    const fetched = await rawRpc(sandbox.rpcUrls[0] as string, "getTransaction", [
      record.signature,
      { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
    ]);
    expect(fetched.body.result.meta.loadedAddresses).toEqual({ writable: loaded, readonly: [] });

    // Deactivated: still resolves while the deactivation slot is in SlotHashes, cannot close yet.
    await lander.land([authorityOnly(table, 3)]);
    await lander.land(transfers(addresses, 1n), { tables: { [table]: addresses } });
    const closeIx = altInstruction(4, new Uint8Array(), [
      { address: table, role: AccountRole.WRITABLE },
      { address: payer.address, role: AccountRole.READONLY_SIGNER, signer: payer },
      { address: payer.address, role: AccountRole.WRITABLE },
    ]);
    const earlyClose = await lander.send((await lander.build([closeIx])).wire);
    expect(earlyClose.error?.context).toMatchObject({ __code: -32002 });

    sandbox.chain.advance(513);
    const cooled = await lander.build(transfers(addresses, 1n), { tables: { [table]: addresses } });
    const gone = await rawRpc(sandbox.rpcUrls[0] as string, "sendTransaction", [
      cooled.wire,
      { encoding: "base64", preflightCommitment: "processed" },
    ]);
    expect(gone.body.error).toMatchObject({
      code: -32602,
      message: "invalid transaction: Transaction loads an address table account that doesn't exist",
    });
    await lander.land([closeIx]);
    expect(await lander.accountData(table)).toBeNull();
  });

  it("freezes a table: no more extensions, lookups still work", async () => {
    const { table, ix } = await createTable(sandbox.chain.getSlot("confirmed"));
    await lander.land([ix]);
    const recipient = await generateKeyPairSigner();
    await lander.land([extendInstruction(table, [recipient.address])]);
    await lander.land([authorityOnly(table, 1)]);
    const frozen = await lander.accountData(table);
    expect(frozen?.[21]).toBe(0); // authority: None
    const other = await generateKeyPairSigner();
    const refused = await lander.send(
      (await lander.build([extendInstruction(table, [other.address])])).wire,
    );
    expect(refused.error?.context).toMatchObject({ __code: -32002 });
    await lander.land(transfers([recipient.address], 5_000_000n), {
      tables: { [table]: [recipient.address] },
    });
    const { value } = await lander.rpc.getBalance(recipient.address).send();
    expect(value).toBe(5_000_000n);
  });
});
