import { type InstructionParser, NotParsableError } from "./instruction-reader.js";

const TABLE_ACCOUNTS = ["lookupTableAccount", "lookupTableAuthority"];

/** Address Lookup Table program (bincode, u32 tag), as agave's parse_address_lookup_table. */
export const parseLookupTableInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u32();
  switch (tag) {
    case 0: {
      const recentSlot = data.u64();
      const bumpSeed = data.u8();
      return {
        type: "createLookupTable",
        info: {
          ...accounts.named(...TABLE_ACCOUNTS, "payerAccount", "systemProgram"),
          recentSlot,
          bumpSeed,
        },
      };
    }
    case 1:
      return { type: "freezeLookupTable", info: accounts.named(...TABLE_ACCOUNTS) };
    case 2: {
      const count = Number(data.u64());
      const newAddresses: string[] = [];
      for (let i = 0; i < count; i++) newAddresses.push(data.pubkey());
      // The payer and system program are optional: only named when both are passed.
      const names =
        accounts.length >= 4
          ? [...TABLE_ACCOUNTS, "payerAccount", "systemProgram"]
          : TABLE_ACCOUNTS;
      return { type: "extendLookupTable", info: { ...accounts.named(...names), newAddresses } };
    }
    case 3:
      return { type: "deactivateLookupTable", info: accounts.named(...TABLE_ACCOUNTS) };
    case 4:
      return { type: "closeLookupTable", info: accounts.named(...TABLE_ACCOUNTS, "recipient") };
    default:
      throw new NotParsableError(`unknown lookup-table instruction ${tag}`);
  }
};
