import { type InstructionParser, NotParsableError } from "./instruction-reader.js";

const CREATE_ACCOUNTS = ["source", "account", "wallet", "mint", "systemProgram", "tokenProgram"];

/** Associated Token Account program (borsh enum; empty data is the original Create). */
export const parseAssociatedTokenInstruction: InstructionParser = (data, accounts) => {
  const tag = data.remaining === 0 ? 0 : data.u8();
  switch (tag) {
    case 0:
      return { type: "create", info: accounts.named(...CREATE_ACCOUNTS) };
    case 1:
      return { type: "createIdempotent", info: accounts.named(...CREATE_ACCOUNTS) };
    case 2:
      return {
        type: "recoverNested",
        info: accounts.named(
          "nestedSource",
          "nestedMint",
          "destination",
          "nestedOwner",
          "ownerMint",
          "wallet",
          "tokenProgram",
        ),
      };
    default:
      throw new NotParsableError(`unknown associated-token instruction ${tag}`);
  }
};
