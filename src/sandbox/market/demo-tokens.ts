import type { TokenProgramName } from "./create-token.js";

/** What makes a demo token risky, each a flag the safety analyzer should raise. */
export type DemoRisk =
  | "freeze-authority-freezes-buyers"
  | "mint-authority-dumps"
  | "transfer-fee-99"
  | "permanent-delegate"
  | "non-transferable"
  | "default-frozen"
  | "transfer-hook"
  | "holder-90pct"
  | "mutable-metadata"
  | "no-liquidity"
  | "impersonates-stable";

export interface DemoTokenSpec {
  /** The demo's own label (keys, the ready line, the table); also its on-chain symbol unless it impersonates. */
  symbol: string;
  name: string;
  decimals: number;
  program: TokenProgramName;
  /** Whole tokens minted in total. */
  supply: bigint;
  /** Share of the supply placed in the pool, in basis points; the rest goes to holder wallets. */
  poolShareBps: number;
  /** SOL (whole) against the pool's tokens. */
  poolSol: number;
  /** Holder wallets sharing the rest equally (one wallet = concentrated supply). */
  holders: number;
  risks: DemoRisk[];
}

// Enough holders that no one wallet, nor the top ten together, looks like a whale to the analyzer.
const HEALTHY = { holders: 16, risks: [] as DemoRisk[] };

export const DEMO_TOKENS: readonly DemoTokenSpec[] = [
  {
    symbol: "BONKY",
    name: "Bonky",
    decimals: 5,
    program: "spl-token",
    supply: 90_000_000_000n,
    poolShareBps: 4_000,
    poolSol: 2_400,
    ...HEALTHY,
  },
  {
    symbol: "WIFY",
    name: "Dogwifyhat",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 4_000,
    poolSol: 4_000,
    ...HEALTHY,
  },
  {
    symbol: "POPY",
    name: "Popy Cat",
    decimals: 9,
    program: "spl-token",
    supply: 500_000_000n,
    poolShareBps: 5_000,
    poolSol: 1_500,
    ...HEALTHY,
  },
  {
    symbol: "GLIDE",
    name: "Glide (Token-2022)",
    decimals: 6,
    program: "token-2022",
    supply: 200_000_000n,
    poolShareBps: 5_000,
    poolSol: 3_000,
    ...HEALTHY,
  },
  {
    symbol: "FREEZE",
    name: "Freeze Trap",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["freeze-authority-freezes-buyers"],
  },
  {
    symbol: "PRINT",
    name: "Money Printer",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["mint-authority-dumps"],
  },
  {
    symbol: "FEE99",
    name: "Fee Ninety-Nine",
    decimals: 6,
    program: "token-2022",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["transfer-fee-99"],
  },
  {
    symbol: "PDELEG",
    name: "Permanent Delegate",
    decimals: 6,
    program: "token-2022",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["permanent-delegate"],
  },
  {
    symbol: "NOXFER",
    name: "Soulbound",
    decimals: 6,
    program: "token-2022",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["non-transferable"],
  },
  {
    symbol: "DFROZEN",
    name: "Frozen By Default",
    decimals: 6,
    program: "token-2022",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["default-frozen"],
  },
  {
    symbol: "HOOK",
    name: "Hooked",
    decimals: 6,
    program: "token-2022",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["transfer-hook"],
  },
  {
    symbol: "WHALE",
    name: "Whale Bag",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 1_000,
    poolSol: 200,
    holders: 1,
    risks: ["holder-90pct"],
  },
  {
    symbol: "MUTABLE",
    name: "Shapeshifter",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 8_000,
    poolSol: 300,
    holders: 3,
    risks: ["mutable-metadata"],
  },
  {
    symbol: "DRY",
    name: "Dry Well",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 10,
    poolSol: 0.02,
    holders: 3,
    risks: ["no-liquidity"],
  },
  {
    // On chain it is named and ticked exactly like the stable ("USDC", "USD Coin (sandbox)"),
    // and is otherwise clean: only the impersonation check stands between it and a buyer.
    symbol: "FAKEUSDC",
    name: "USD Coin (sandbox)",
    decimals: 6,
    program: "spl-token",
    supply: 1_000_000_000n,
    poolShareBps: 4_000,
    poolSol: 300,
    ...HEALTHY,
    risks: ["impersonates-stable"],
  },
];

export const RISK_DESCRIPTIONS: Record<DemoRisk, string> = {
  "freeze-authority-freezes-buyers": "freeze authority live; a bot freezes buyers' accounts",
  "mint-authority-dumps": "mint authority live; the issuer mints and dumps into buys",
  "transfer-fee-99": "Token-2022 transfer fee of 99%",
  "permanent-delegate": "Token-2022 permanent delegate can move anyone's tokens",
  "non-transferable": "Token-2022 non-transferable: holders cannot send it anywhere",
  "default-frozen": "Token-2022 default account state frozen (issuer thaws at will)",
  "transfer-hook": "Token-2022 transfer hook into an issuer-controlled program",
  "holder-90pct": "one wallet holds 90% of the supply",
  "mutable-metadata": "Metaplex metadata is mutable by the issuer",
  "no-liquidity": "pool is nearly empty",
  "impersonates-stable": "named and ticked exactly like the stable (USDC) on another mint",
};
