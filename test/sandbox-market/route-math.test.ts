import type { Address } from "@solana/kit";
import { describe, expect, it } from "vitest";
import {
  getGrossForNet,
  getTransferFee,
  type MintState,
} from "../../src/sandbox/market/mint-state.js";
import {
  computeExactIn,
  computeExactOut,
  getOtherAmountThreshold,
  type RouteCurve,
} from "../../src/sandbox/market/route-math.js";

function feeMint(basisPoints: number, maximumFee: bigint): MintState {
  const rate = { epoch: 0n, maximumFee, basisPoints };
  return {
    address: "11111111111111111111111111111111" as Address,
    program: "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb" as Address,
    decimals: 6,
    supply: 0n,
    mintAuthority: null,
    freezeAuthority: null,
    transferFee: { older: rate, newer: rate },
    extensions: [],
  };
}

function curve(reserveIn: bigint, reserveOut: bigint, outMint?: MintState): RouteCurve {
  return {
    reserveIn,
    reserveOut,
    poolFeeBps: 30,
    inTransferFee: () => 0n,
    outTransferFee: (amount) => (outMint ? getTransferFee(outMint, 0n, amount) : 0n),
    inGrossForNet: (net) => net,
    outGrossForNet: (net) => (outMint ? getGrossForNet(outMint, 0n, net) : net),
  };
}

// A small deterministic generator: the tests must not depend on Math.random.
function* amounts(seed: number, count: number): Generator<bigint> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    yield BigInt(x) * BigInt(1 + (i % 7) * 1000) + 1n;
  }
}

describe("route math", () => {
  it("the transfer fee inverse is exact and minimal (99% uncapped, 1% capped)", () => {
    for (const mint of [feeMint(9_900, (1n << 64n) - 1n), feeMint(100, 5_000n), feeMint(1, 1n)]) {
      for (const net of amounts(7, 300)) {
        const gross = getGrossForNet(mint, 0n, net);
        expect(gross).not.toBeNull();
        const g = gross as bigint;
        expect(g - getTransferFee(mint, 0n, g)).toBeGreaterThanOrEqual(net);
        expect(g - 1n - getTransferFee(mint, 0n, g - 1n)).toBeLessThan(net);
      }
    }
  });

  it("ExactOut asks for no more than an ExactIn of that input delivers", () => {
    const fee = feeMint(250, 1_000_000n);
    for (const c of [curve(10n ** 12n, 10n ** 15n), curve(10n ** 12n, 10n ** 15n, fee)]) {
      for (const want of amounts(3, 200)) {
        if (want >= c.reserveOut / 2n) continue;
        const exactOut = computeExactOut(c, want, 85);
        expect(exactOut).not.toBeNull();
        const back = computeExactIn(c, exactOut?.swapIn ?? 0n, 0, "input");
        expect(back?.outAmount ?? 0n).toBeGreaterThanOrEqual(want);
        expect(exactOut?.inAmount).toBe(
          (exactOut?.swapIn ?? 0n) + ((exactOut?.swapIn ?? 0n) * 85n) / 10_000n,
        );
      }
    }
  });

  it("ExactIn never pays out the whole reserve and takes the platform fee from the chosen side", () => {
    const c = curve(1_000n, 1_000_000n);
    const huge = computeExactIn(c, (1n << 64n) - 1n, 85, "output");
    expect(huge?.userOut).toBeLessThan(1_000_000n);
    const input = computeExactIn(curve(10n ** 12n, 10n ** 12n), 1_000_000n, 85, "input");
    expect(input?.platformFee).toBe(8_500n);
    expect(input?.swapIn).toBe(991_500n);
    const output = computeExactIn(curve(10n ** 12n, 10n ** 12n), 1_000_000n, 85, "output");
    expect(output?.swapIn).toBe(1_000_000n);
    expect((output?.userOut ?? 0n) + (output?.platformFee ?? 0n)).toBeGreaterThan(
      output?.userOut ?? 0n,
    );
  });

  it("thresholds round in the user's favour of safety", () => {
    expect(getOtherAmountThreshold("ExactIn", 1_000n, 50)).toBe(995n);
    expect(getOtherAmountThreshold("ExactIn", 999n, 50)).toBe(994n);
    expect(getOtherAmountThreshold("ExactOut", 999n, 50)).toBe(1_004n);
    expect(getOtherAmountThreshold("ExactIn", 1_000n, 10_000)).toBe(0n);
  });
});
