import { formatUiAmount } from "../token-layout.js";
import {
  type InstructionAccounts,
  type InstructionParser,
  type InstructionReader,
  NotParsableError,
  type ParsedInfo,
} from "./instruction-reader.js";
import { AUTHORITY_TYPES, EXTENSION_TYPES } from "./token-instruction-names.js";

function extensionTypes(data: InstructionReader): string[] {
  const types: string[] = [];
  while (data.remaining >= 2) {
    const name = EXTENSION_TYPES[data.u16()];
    if (!name) throw new NotParsableError("unknown extension type");
    types.push(name);
  }
  return types;
}

function tokenAmount(amount: bigint, decimals: number) {
  const uiAmountString = formatUiAmount(amount, decimals);
  return { uiAmount: Number(uiAmountString), decimals, amount: amount.toString(), uiAmountString };
}

/** The owner/authority slot: a single signer, or a multisig and its signers (agave's parse_signers). */
function withSigners(
  info: ParsedInfo,
  accounts: InstructionAccounts,
  lastNonSigner: number,
  ownerField: string,
  multisigField: string,
): ParsedInfo {
  if (accounts.length > lastNonSigner + 1) {
    return {
      ...info,
      [multisigField]: accounts.at(lastNonSigner),
      signers: accounts.keys.slice(lastNonSigner + 1),
    };
  }
  return { ...info, [ownerField]: accounts.at(lastNonSigner) };
}

/** SPL Token and Token-2022 base instructions (extension instructions stay partially decoded). */
export const parseTokenInstruction: InstructionParser = (data, accounts) => {
  const tag = data.u8();
  const signed = (info: ParsedInfo, last: number, owner: string, multisig: string) =>
    withSigners(info, accounts.require(last + 1), last, owner, multisig);
  switch (tag) {
    case 0:
    case 20: {
      const decimals = data.u8();
      const mintAuthority = data.pubkey();
      const freezeAuthority = data.optionPubkey();
      const names = tag === 0 ? ["mint", "rentSysvar"] : ["mint"];
      return {
        type: tag === 0 ? "initializeMint" : "initializeMint2",
        info: {
          ...accounts.named(...names),
          decimals,
          mintAuthority,
          ...(freezeAuthority ? { freezeAuthority } : {}),
        },
      };
    }
    case 1:
      return {
        type: "initializeAccount",
        info: accounts.named("account", "mint", "owner", "rentSysvar"),
      };
    case 16:
    case 18: {
      const owner = data.pubkey();
      const base = accounts.named("account", "mint", ...(tag === 16 ? ["rentSysvar"] : []));
      return {
        type: tag === 16 ? "initializeAccount2" : "initializeAccount3",
        info: { ...base, owner },
      };
    }
    case 2:
    case 19: {
      const m = data.u8();
      const fixed = tag === 2 ? ["multisig", "rentSysvar"] : ["multisig"];
      const info = accounts.require(fixed.length + 1).named(...fixed);
      return {
        type: tag === 2 ? "initializeMultisig" : "initializeMultisig2",
        info: { ...info, signers: accounts.keys.slice(fixed.length), m },
      };
    }
    case 3: {
      const amount = data.u64().toString();
      const info = { ...accounts.named("source", "destination"), amount };
      return { type: "transfer", info: signed(info, 2, "authority", "multisigAuthority") };
    }
    case 4: {
      const amount = data.u64().toString();
      const info = { ...accounts.named("source", "delegate"), amount };
      return { type: "approve", info: signed(info, 2, "owner", "multisigOwner") };
    }
    case 5:
      return {
        type: "revoke",
        info: signed(accounts.named("source"), 1, "owner", "multisigOwner"),
      };
    case 6: {
      const kind = AUTHORITY_TYPES[data.u8()];
      if (!kind) throw new NotParsableError("unknown authority type");
      const newAuthority = data.optionPubkey();
      const owned = kind === "accountOwner" || kind === "closeAccount" ? "account" : "mint";
      const info = { [owned]: accounts.require(2).at(0), authorityType: kind, newAuthority };
      return { type: "setAuthority", info: signed(info, 1, "authority", "multisigAuthority") };
    }
    case 7:
    case 8: {
      const amount = data.u64().toString();
      const mintTo = tag === 7;
      const info = {
        ...accounts.named(...(mintTo ? ["mint", "account"] : ["account", "mint"])),
        amount,
      };
      return mintTo
        ? { type: "mintTo", info: signed(info, 2, "mintAuthority", "multisigMintAuthority") }
        : { type: "burn", info: signed(info, 2, "authority", "multisigAuthority") };
    }
    case 9:
      return {
        type: "closeAccount",
        info: signed(accounts.named("account", "destination"), 2, "owner", "multisigOwner"),
      };
    case 10:
    case 11:
      return {
        type: tag === 10 ? "freezeAccount" : "thawAccount",
        info: signed(
          accounts.named("account", "mint"),
          2,
          "freezeAuthority",
          "multisigFreezeAuthority",
        ),
      };
    case 12:
    case 13: {
      const amount = tokenAmount(data.u64(), data.u8());
      const transfer = tag === 12;
      const names = transfer ? ["source", "mint", "destination"] : ["source", "mint", "delegate"];
      const info = { ...accounts.require(4).named(...names), tokenAmount: amount };
      return transfer
        ? { type: "transferChecked", info: signed(info, 3, "authority", "multisigAuthority") }
        : { type: "approveChecked", info: signed(info, 3, "owner", "multisigOwner") };
    }
    case 14:
    case 15: {
      const amount = tokenAmount(data.u64(), data.u8());
      const mintTo = tag === 14;
      const names = mintTo ? ["mint", "account"] : ["account", "mint"];
      const info = { ...accounts.require(3).named(...names), tokenAmount: amount };
      return mintTo
        ? {
            type: "mintToChecked",
            info: signed(info, 2, "mintAuthority", "multisigMintAuthority"),
          }
        : { type: "burnChecked", info: signed(info, 2, "authority", "multisigAuthority") };
    }
    case 17:
      return { type: "syncNative", info: accounts.named("account") };
    case 21: {
      const types = extensionTypes(data);
      const info = accounts.named("mint");
      // The ATA program asks this of the token program on every create (a CPI agave parses).
      return {
        type: "getAccountDataSize",
        info: types.length > 0 ? { ...info, extensionTypes: types } : info,
      };
    }
    case 22:
      return { type: "initializeImmutableOwner", info: accounts.named("account") };
    case 23:
      return {
        type: "amountToUiAmount",
        info: { ...accounts.named("mint"), amount: data.u64().toString() },
      };
    case 24: {
      const uiAmount = new TextDecoder("utf-8", { fatal: true }).decode(data.rest());
      return { type: "uiAmountToAmount", info: { ...accounts.named("mint"), uiAmount } };
    }
    case 25:
      return {
        type: "initializeMintCloseAuthority",
        info: { ...accounts.named("mint"), newAuthority: data.optionPubkey() },
      };
    case 35:
      return {
        type: "initializePermanentDelegate",
        info: { ...accounts.named("mint"), delegate: data.pubkey() },
      };
    case 31:
      return {
        type: "createNativeMint",
        info: accounts.named("payer", "nativeMint", "systemProgram"),
      };
    case 32:
      return { type: "initializeNonTransferableMint", info: accounts.named("mint") };
    case 38:
      return {
        type: "withdrawExcessLamports",
        info: signed(accounts.named("source", "destination"), 2, "authority", "multisigAuthority"),
      };
    default:
      throw new NotParsableError(`token instruction ${tag} is not parsed here`);
  }
};
