import { type InstructionParser, NotParsableError } from "./instruction-reader.js";

/** System program instructions (bincode, u32 tag), as agave's parse_system names them. */
export const parseSystemInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u32();
  switch (tag) {
    case 0: {
      const lamports = data.u64();
      const space = data.u64();
      const owner = data.pubkey();
      return {
        type: "createAccount",
        info: { ...accounts.named("source", "newAccount"), lamports, space, owner },
      };
    }
    case 1:
      return { type: "assign", info: { ...accounts.named("account"), owner: data.pubkey() } };
    case 2:
      return {
        type: "transfer",
        info: { ...accounts.named("source", "destination"), lamports: data.u64() },
      };
    case 3: {
      const base = data.pubkey();
      const seed = data.string();
      const lamports = data.u64();
      const space = data.u64();
      const owner = data.pubkey();
      return {
        type: "createAccountWithSeed",
        info: { ...accounts.named("source", "newAccount"), base, seed, lamports, space, owner },
      };
    }
    case 4:
      return {
        type: "advanceNonce",
        info: accounts.named("nonceAccount", "recentBlockhashesSysvar", "nonceAuthority"),
      };
    case 5: {
      const lamports = data.u64();
      const names = ["nonceAccount", "destination", "recentBlockhashesSysvar", "rentSysvar"];
      return {
        type: "withdrawFromNonce",
        info: { ...accounts.require(5).named(...names, "nonceAuthority"), lamports },
      };
    }
    case 6: {
      const nonceAuthority = data.pubkey();
      return {
        type: "initializeNonce",
        info: {
          ...accounts.named("nonceAccount", "recentBlockhashesSysvar", "rentSysvar"),
          nonceAuthority,
        },
      };
    }
    case 7: {
      const newAuthorized = data.pubkey();
      return {
        type: "authorizeNonce",
        info: { ...accounts.named("nonceAccount", "nonceAuthority"), newAuthorized },
      };
    }
    case 8:
      return { type: "allocate", info: { ...accounts.named("account"), space: data.u64() } };
    case 9: {
      const base = data.pubkey();
      const seed = data.string();
      const space = data.u64();
      const owner = data.pubkey();
      accounts.require(2);
      return {
        type: "allocateWithSeed",
        info: { account: accounts.at(0), base, seed, space, owner },
      };
    }
    case 10: {
      const base = data.pubkey();
      const seed = data.string();
      const owner = data.pubkey();
      accounts.require(2);
      return { type: "assignWithSeed", info: { account: accounts.at(0), base, seed, owner } };
    }
    case 11: {
      const lamports = data.u64();
      const sourceSeed = data.string();
      const sourceOwner = data.pubkey();
      return {
        type: "transferWithSeed",
        info: {
          ...accounts.named("source", "sourceBase", "destination"),
          lamports,
          sourceSeed,
          sourceOwner,
        },
      };
    }
    case 12:
      return { type: "upgradeNonce", info: accounts.named("nonceAccount") };
    default:
      throw new NotParsableError(`unknown system instruction ${tag}`);
  }
};
