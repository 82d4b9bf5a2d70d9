import { describe, expect, it } from "vitest";
import { getAddressKey } from "../../src/api/client-address.js";

describe("getAddressKey", () => {
  it("keeps an IPv4 address, also when IPv4-mapped", () => {
    expect(getAddressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(getAddressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts an IPv6 client by its /64, however the address is written", () => {
    const key = getAddressKey("2001:db8:0:1::1");
    expect(key).toBe("2001:db8:0:1::/64");
    for (const same of [
      "2001:0db8:0000:0001:ffff:ffff:ffff:fffe",
      "2001:db8:0:1:1234::1",
      "2001:db8::1:0:0:0:2",
      "2001:db8:0:1::1%eth0",
      "2001:db8:0:1::192.0.2.1",
    ])
      expect(getAddressKey(same), same).toBe(key);
    expect(getAddressKey("2001:db8:0:2::1")).not.toBe(key);
    expect(getAddressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("leaves anything else as it is", () => {
    expect(getAddressKey("not an address")).toBe("not an address");
  });
});
