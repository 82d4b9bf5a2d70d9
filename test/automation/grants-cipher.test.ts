import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type GrantBinding,
  openGrantKey,
  sealGrantKey,
} from "../../src/automation/grants/grant-cipher.js";
import { systemRandomBytes } from "../../src/wallet/random-bytes.js";

const binding: GrantBinding = {
  grantId: "0190a5b0-0000-7000-8000-000000000001",
  userId: "0190a5b0-0000-7000-8000-000000000002",
  walletId: "0190a5b0-0000-7000-8000-000000000003",
  publicKey: "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T",
  maxOrderLamports: 1_000_000_000n,
  maxDailyLamports: 5_000_000_000n,
  orderTypes: ["stop_loss", "limit_buy"],
  expiresAt: 1_800_000_000_000,
};

describe("grant key box", () => {
  const automationKey = randomBytes(32);
  const secretKey = new Uint8Array(randomBytes(64));
  const sealed = sealGrantKey(binding, automationKey, secretKey, systemRandomBytes);

  it("opens with the same automation key and binding, whatever the order types' order", () => {
    expect(openGrantKey(binding, automationKey, sealed)).toEqual(secretKey);
    const reordered = { ...binding, orderTypes: ["limit_buy", "stop_loss"] as const };
    expect(openGrantKey(reordered, automationKey, sealed)).toEqual(secretKey);
    expect(sealed).not.toContain(Buffer.from(secretKey).toString("base64"));
  });

  const edits: [string, Partial<GrantBinding>][] = [
    ["grantId", { grantId: "0190a5b0-0000-7000-8000-000000000009" }],
    ["userId", { userId: "0190a5b0-0000-7000-8000-000000000009" }],
    ["walletId", { walletId: "0190a5b0-0000-7000-8000-000000000009" }],
    ["publicKey", { publicKey: "So11111111111111111111111111111111111111112" }],
    ["maxOrderLamports", { maxOrderLamports: 1_000_000_001n }],
    ["maxDailyLamports", { maxDailyLamports: 50_000_000_000n }],
    ["orderTypes", { orderTypes: ["stop_loss", "limit_buy", "dca"] }],
    ["orderTypes (fewer)", { orderTypes: ["stop_loss"] }],
    ["expiresAt", { expiresAt: binding.expiresAt + 1 }],
  ];
  it.each(edits)("cannot open once %s is edited", (_field, edit) => {
    expect(openGrantKey({ ...binding, ...edit }, automationKey, sealed)).toBeNull();
  });

  it("cannot open under another automation key, or from a damaged box", () => {
    expect(openGrantKey(binding, randomBytes(32), sealed)).toBeNull();
    const box = JSON.parse(sealed) as { nonce: string; sealed: string };
    const bytes = Buffer.from(box.sealed, "base64");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const damaged = JSON.stringify({ ...box, sealed: bytes.toString("base64") });
    expect(openGrantKey(binding, automationKey, damaged)).toBeNull();
    expect(openGrantKey(binding, automationKey, "not json")).toBeNull();
    expect(openGrantKey(binding, automationKey, '{"nonce":"","sealed":""}')).toBeNull();
  });
});
