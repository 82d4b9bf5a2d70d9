import {
  type InstructionAccounts,
  type InstructionParser,
  type InstructionReader,
  NotParsableError,
} from "./instruction-reader.js";

/** bincode Vec<u8>: u64 length, then the bytes (shown base64, as agave does). */
function bytesField(data: InstructionReader): string {
  const length = Number(data.u64());
  if (length > data.remaining) throw new NotParsableError("bytes past the end");
  return Buffer.from(data.rest().subarray(0, length)).toString("base64");
}

/** An optional trailing account: agave prints null when it is absent. */
const maybe = (accounts: InstructionAccounts, position: number) => accounts.keys[position] ?? null;

/** The original BPF loader (BPFLoader2…): write and finalize. */
export const parseBpfLoaderInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u32();
  if (tag === 0) {
    const offset = data.u32();
    const bytes = bytesField(data);
    return { type: "write", info: { offset, bytes, account: accounts.require(1).at(0) } };
  }
  if (tag === 1) return { type: "finalize", info: { account: accounts.require(2).at(0) } };
  throw new NotParsableError(`unknown loader instruction ${tag}`);
};

/** The upgradeable loader, as agave's parse_bpf_upgradeable_loader names its instructions. */
export const parseUpgradeableLoaderInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u32();
  switch (tag) {
    case 0: {
      const account = accounts.require(1).at(0);
      const authority = accounts.keys[1];
      return { type: "initializeBuffer", info: authority ? { account, authority } : { account } };
    }
    case 1: {
      const offset = data.u32();
      const bytes = bytesField(data);
      return { type: "write", info: { offset, bytes, ...accounts.named("account", "authority") } };
    }
    case 2: {
      const maxDataLen = data.u64();
      const names = ["payerAccount", "programDataAccount", "programAccount", "bufferAccount"];
      const sysvars = ["rentSysvar", "clockSysvar", "systemProgram", "authority"];
      return {
        type: "deployWithMaxDataLen",
        info: { maxDataLen, ...accounts.named(...names, ...sysvars) },
      };
    }
    case 3:
      return {
        type: "upgrade",
        info: accounts.named(
          "programDataAccount",
          "programAccount",
          "bufferAccount",
          "spillAccount",
          "rentSysvar",
          "clockSysvar",
          "authority",
        ),
      };
    case 4:
      return {
        type: "setAuthority",
        info: { ...accounts.named("account", "authority"), newAuthority: maybe(accounts, 2) },
      };
    case 5:
      return {
        type: "close",
        info: {
          ...accounts.named("account", "recipient", "authority"),
          programAccount: maybe(accounts, 3),
        },
      };
    case 6: {
      const additionalBytes = data.u32();
      return {
        type: "extendProgram",
        info: {
          additionalBytes,
          ...accounts.named("programDataAccount", "programAccount"),
          systemProgram: maybe(accounts, 2),
          payerAccount: maybe(accounts, 3),
        },
      };
    }
    case 7:
      return {
        type: "setAuthorityChecked",
        info: accounts.named("account", "authority", "newAuthority"),
      };
    default:
      throw new NotParsableError(`upgradeable loader instruction ${tag} is not parsed here`);
  }
};
