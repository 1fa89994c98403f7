// The blocked-address table entry by entry, as a pure function: nothing here opens a connection.
import { describe, expect, it } from "vitest";
import {
  BLOCKED_IPV4_RANGES,
  BLOCKED_IPV6_RANGES,
  CLOUD_METADATA_ADDRESSES,
  InvalidNetworkError,
  isBlockedAddress,
  type EgressPolicy,
  parseIpAddress,
  parseNetwork,
} from "./blocked-addresses";

const none: EgressPolicy = { allowedNetworks: [] };
const rangeOf = (ip: string, policy: EgressPolicy = none) => {
  const check = isBlockedAddress(ip, policy);
  return check.blocked ? check.range : null;
};

describe("IPv4 ranges blocked by default", () => {
  it.each([
    ["0.0.0.0", "unspecified 0.0.0.0/8"],
    ["0.255.255.255", "unspecified 0.0.0.0/8"],
    ["10.0.0.0", "private 10.0.0.0/8"],
    ["10.255.255.255", "private 10.0.0.0/8"],
    ["100.64.0.0", "shared address space (CGNAT) 100.64.0.0/10"],
    ["100.127.255.255", "shared address space (CGNAT) 100.64.0.0/10"],
    ["127.0.0.1", "loopback 127.0.0.0/8"],
    ["127.0.0.2", "loopback 127.0.0.0/8"],
    ["127.255.255.255", "loopback 127.0.0.0/8"],
    ["169.254.0.1", "link-local 169.254.0.0/16"],
    ["169.254.255.255", "link-local 169.254.0.0/16"],
    ["172.16.0.0", "private 172.16.0.0/12"],
    ["172.31.255.255", "private 172.16.0.0/12"],
    ["192.0.0.8", "IETF protocol assignments 192.0.0.0/24"],
    ["192.0.2.1", "documentation 192.0.2.0/24"],
    ["192.88.99.1", "6to4 relay anycast (deprecated) 192.88.99.0/24"],
    ["192.168.0.1", "private 192.168.0.0/16"],
    ["192.168.255.255", "private 192.168.0.0/16"],
    ["198.18.0.1", "benchmarking 198.18.0.0/15"],
    ["198.19.255.255", "benchmarking 198.18.0.0/15"],
    ["198.51.100.7", "documentation 198.51.100.0/24"],
    ["203.0.113.9", "documentation 203.0.113.0/24"],
    ["224.0.0.1", "multicast 224.0.0.0/4"],
    ["239.255.255.250", "multicast 224.0.0.0/4"],
    ["240.0.0.1", "reserved 240.0.0.0/4"],
    ["254.255.255.255", "reserved 240.0.0.0/4"],
    ["255.255.255.255", "broadcast 255.255.255.255/32"],
  ])("%s is blocked as %s", (ip, range) => {
    expect(rangeOf(ip)).toBe(range);
  });

  it("has a test above for every entry of the table", () => {
    const tested = new Set([
      "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
      "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
      "224.0.0.0/4", "255.255.255.255/32", "240.0.0.0/4",
    ]);
    expect(new Set(BLOCKED_IPV4_RANGES.map((range) => range.cidr))).toEqual(tested);
  });

  it.each([
    "1.1.1.1",
    "8.8.8.8",
    "9.255.255.255", // just below 10/8
    "11.0.0.0", // just above 10/8
    "100.63.255.255", // just below CGNAT
    "100.128.0.0", // just above CGNAT
    "126.255.255.255",
    "128.0.0.0",
    "169.253.255.255",
    "169.255.0.0",
    "172.15.255.255",
    "172.32.0.0",
    "192.0.1.0",
    "192.0.3.0",
    "192.167.255.255",
    "192.169.0.0",
    "198.17.255.255",
    "198.20.0.0",
    "223.255.255.255",
  ])("%s (public) is not blocked", (ip) => {
    expect(isBlockedAddress(ip, none)).toEqual({ blocked: false });
  });
});

describe("IPv4 spellings a URL host may use", () => {
  it.each([
    ["2130706433", "decimal"],
    ["0x7f000001", "hex"],
    ["0x7F.1", "hex with two parts"],
    ["0x7f.0.0.1", "hex first octet"],
    ["017700000001", "octal"],
    ["0177.0.0.1", "octal first octet"],
    ["0177.0.0.01", "octal octets"],
    ["127.1", "two parts"],
    ["127.0.1", "three parts"],
    ["127.0.0.1.", "trailing dot"],
    [" 127.0.0.1 ", "surrounding spaces"],
  ])("%s (%s) is loopback", (spelling) => {
    expect(rangeOf(spelling)).toBe("loopback 127.0.0.0/8");
  });

  it.each([
    ["0", "unspecified 0.0.0.0/8"],
    ["0x0", "unspecified 0.0.0.0/8"],
    ["2852039166", "cloud metadata 169.254.169.254"],
    ["0xa9fea9fe", "cloud metadata 169.254.169.254"],
    ["0251.0376.0251.0376", "cloud metadata 169.254.169.254"],
    ["167772161", "private 10.0.0.0/8"],
    ["0xc0a80001", "private 192.168.0.0/16"],
    ["4294967295", "broadcast 255.255.255.255/32"],
  ])("%s is blocked as %s", (spelling, range) => {
    expect(rangeOf(spelling)).toBe(range);
  });

  it("reads the spellings exactly as WHATWG URL does", () => {
    expect(parseIpAddress("0x7f.1")?.toString()).toBe(new URL("http://0x7f.1/").hostname);
    expect(parseIpAddress("017700000001")?.toString()).toBe("127.0.0.1");
    expect(parseIpAddress("08.0.0.1")).toBeNull(); // 08 is not octal: WHATWG refuses the host
  });
});

describe("IPv6 ranges blocked by default", () => {
  it.each([
    ["::", "unspecified ::/128"],
    ["::1", "loopback ::1/128"],
    ["[::1]", "loopback ::1/128"],
    ["0:0:0:0:0:0:0:1", "loopback ::1/128"],
    ["100::1", "discard-only 100::/64"],
    ["64:ff9b:1::1", "local-use NAT64 64:ff9b:1::/48"],
    ["2001::1", "Teredo 2001::/32"],
    ["2001:2::1", "IETF protocol assignments 2001::/23"],
    ["2001:db8::1", "documentation 2001:db8::/32"],
    ["3fff::1", "documentation 3fff::/20"],
    ["fc00::1", "unique local fc00::/7"],
    ["fd12:3456::1", "unique local fc00::/7"],
    ["fec0::1", "site-local (deprecated) fec0::/10"],
    ["fe80::1", "link-local fe80::/10"],
    ["fe80::1%eth0", "link-local fe80::/10"],
    ["febf::1", "link-local fe80::/10"],
    ["ff02::1", "multicast ff00::/8"],
    ["ff05::1:3", "multicast ff00::/8"],
  ])("%s is blocked as %s", (ip, range) => {
    expect(rangeOf(ip)).toBe(range);
  });

  it("has a test above for every entry of the table", () => {
    expect(BLOCKED_IPV6_RANGES.map((range) => range.cidr).sort()).toEqual(
      ["::/128", "::1/128", "100::/64", "64:ff9b:1::/48", "2001::/32", "2001::/23", "2001:db8::/32", "3fff::/20", "fc00::/7", "fec0::/10", "fe80::/10", "ff00::/8"].sort(),
    );
  });

  it.each(["::1:0:0:0:1", "1::", "4000::1", "8000::", "e000::1", "fe00::1"])("%s, outside global unicast 2000::/3, is blocked as reserved", (ip) => {
    expect(rangeOf(ip)).toBe("reserved (outside global unicast 2000::/3)");
  });

  it.each(["2606:4700:4700::1111", "2a00:1450:4001::200e", "2001:200::1", "2002:808:808::1"])("%s (public) is not blocked", (ip) => {
    expect(isBlockedAddress(ip, none)).toEqual({ blocked: false });
  });
});

describe("IPv6 forms of IPv4 addresses", () => {
  it.each([
    ["::ffff:127.0.0.1", "loopback 127.0.0.0/8"],
    ["[::ffff:127.0.0.1]", "loopback 127.0.0.0/8"],
    ["::ffff:7f00:1", "loopback 127.0.0.0/8"],
    ["::FFFF:7F00:0002", "loopback 127.0.0.0/8"],
    ["0:0:0:0:0:ffff:127.0.0.1", "loopback 127.0.0.0/8"],
    ["::ffff:10.1.2.3", "private 10.0.0.0/8"],
    ["::ffff:169.254.169.254", "cloud metadata 169.254.169.254"],
    ["::ffff:a9fe:a9fe", "cloud metadata 169.254.169.254"],
    ["::ffff:0.0.0.0", "unspecified 0.0.0.0/8"],
  ])("IPv4-mapped %s is checked as the IPv4 address: %s", (ip, range) => {
    expect(rangeOf(ip)).toBe(range);
  });

  it.each([
    ["::2", "unspecified 0.0.0.0/8 (0.0.0.2 as IPv4-compatible (deprecated) ::/96)"],
    ["::127.0.0.1", "loopback 127.0.0.0/8 (127.0.0.1 as IPv4-compatible (deprecated) ::/96)"],
    ["::7f00:1", "loopback 127.0.0.0/8 (127.0.0.1 as IPv4-compatible (deprecated) ::/96)"],
    ["64:ff9b::127.0.0.1", "loopback 127.0.0.0/8 (127.0.0.1 as NAT64 64:ff9b::/96)"],
    ["64:ff9b::a00:1", "private 10.0.0.0/8 (10.0.0.1 as NAT64 64:ff9b::/96)"],
    ["64:ff9b::a9fe:a9fe", "cloud metadata 169.254.169.254 (169.254.169.254 as NAT64 64:ff9b::/96)"],
    ["::ffff:0:7f00:1", "loopback 127.0.0.0/8 (127.0.0.1 as IPv4-translated ::ffff:0:0:0/96)"],
    ["2002:7f00:1::1", "loopback 127.0.0.0/8 (127.0.0.1 as 6to4 2002::/16)"],
    ["2002:c0a8:101::", "private 192.168.0.0/16 (192.168.1.1 as 6to4 2002::/16)"],
  ])("%s is blocked as %s", (ip, range) => {
    expect(rangeOf(ip)).toBe(range);
  });

  it("a public IPv4 address stays reachable mapped or through NAT64", () => {
    expect(isBlockedAddress("::ffff:8.8.8.8", none)).toEqual({ blocked: false });
    expect(isBlockedAddress("64:ff9b::808:808", none)).toEqual({ blocked: false });
  });

  it("the deprecated IPv4-compatible and translated forms of a public address are still reserved", () => {
    expect(rangeOf("::8.8.8.8")).toBe("reserved (outside global unicast 2000::/3)");
    expect(rangeOf("::ffff:0:808:808")).toBe("reserved (outside global unicast 2000::/3)");
  });
});

describe("cloud metadata", () => {
  it.each(CLOUD_METADATA_ADDRESSES.map((address) => [address]))("%s is blocked by name", (address) => {
    expect(rangeOf(address)).toMatch(/^cloud metadata /);
  });

  it("stays blocked when its whole range is allowed", () => {
    expect(rangeOf("169.254.169.254", { allowedNetworks: ["169.254.0.0/16"] })).toBe("cloud metadata 169.254.169.254");
    expect(rangeOf("169.254.169.254", { allowedNetworks: ["0.0.0.0/0"] })).toBe("cloud metadata 169.254.169.254");
    expect(rangeOf("fd00:ec2::254", { allowedNetworks: ["fd00::/8"] })).toBe("cloud metadata fd00:ec2::254");
    // The rest of the range is open.
    expect(isBlockedAddress("169.254.1.1", { allowedNetworks: ["169.254.0.0/16"] })).toEqual({ blocked: false });
  });

  it("opens only when an allowed entry names the exact address", () => {
    expect(isBlockedAddress("169.254.169.254", { allowedNetworks: ["169.254.169.254/32"] })).toEqual({ blocked: false });
    expect(isBlockedAddress("169.254.169.254", { allowedNetworks: ["169.254.169.254"] })).toEqual({ blocked: false });
  });
});

describe("allowed networks", () => {
  const loopbackOne = { allowedNetworks: ["127.0.0.1/32"] };

  it("open exactly the listed range", () => {
    expect(isBlockedAddress("127.0.0.1", loopbackOne)).toEqual({ blocked: false });
    expect(rangeOf("127.0.0.2", loopbackOne)).toBe("loopback 127.0.0.0/8");
    expect(rangeOf("::1", loopbackOne)).toBe("loopback ::1/128");
  });

  it("apply to every spelling of an address, IPv4-mapped included", () => {
    for (const spelling of ["2130706433", "0x7f.1", "017700000001", "::ffff:127.0.0.1", "[::ffff:7f00:1]"]) {
      expect(isBlockedAddress(spelling, loopbackOne)).toEqual({ blocked: false });
    }
  });

  it("do not open other IPv6 forms of an allowed IPv4 address", () => {
    expect(rangeOf("64:ff9b::7f00:1", loopbackOne)).toBe("loopback 127.0.0.0/8 (127.0.0.1 as NAT64 64:ff9b::/96)");
    expect(rangeOf("::127.0.0.1", loopbackOne)).toMatch(/IPv4-compatible/);
  });

  it("open private ranges and IPv6 networks, several at once", () => {
    const policy = { allowedNetworks: ["10.0.0.0/8", "fd00::/8", "::1/128", " 192.168.1.0/24 "] };
    expect(isBlockedAddress("10.20.30.40", policy)).toEqual({ blocked: false });
    expect(isBlockedAddress("fd12::1", policy)).toEqual({ blocked: false });
    expect(isBlockedAddress("::1", policy)).toEqual({ blocked: false });
    expect(isBlockedAddress("192.168.1.200", policy)).toEqual({ blocked: false });
    expect(rangeOf("192.168.2.1", policy)).toBe("private 192.168.0.0/16");
    expect(rangeOf("fc00::1", policy)).toBe("unique local fc00::/7");
  });

  it("accept an IPv4-mapped network as the IPv4 network", () => {
    expect(isBlockedAddress("10.1.2.3", { allowedNetworks: ["::ffff:10.0.0.0/104"] })).toEqual({ blocked: false });
    expect(rangeOf("11.0.0.0", { allowedNetworks: ["::ffff:10.0.0.0/104"] })).toBeNull();
  });
});

describe("parseNetwork", () => {
  it("reads CIDRs and single addresses", () => {
    expect(parseNetwork("10.0.0.0/8").map(String)).toEqual(["10.0.0.0", "8"]);
    expect(parseNetwork("127.0.0.1").map(String)).toEqual(["127.0.0.1", "32"]);
    expect(parseNetwork("fd00::/8").map(String)).toEqual(["fd00::", "8"]);
    expect(parseNetwork("::1").map(String)).toEqual(["::1", "128"]);
    expect(parseNetwork("0.0.0.0/0").map(String)).toEqual(["0.0.0.0", "0"]);
  });

  it.each([
    ["10.0.0.1/8", "has host bits set; did you mean 10.0.0.0/8?"],
    ["10/8", "is not a CIDR"],
    ["0x7f.1/32", "is not a CIDR"],
    ["example.com", "is not a CIDR"],
    ["10.0.0.0/33", "invalid prefix length (0 to 32)"],
    ["fd00::/129", "invalid prefix length (0 to 128)"],
    ["10.0.0.0/", "invalid prefix length"],
    ["10.0.0.0/-1", "invalid prefix length"],
    ["10.0.0.0/8/8", "is not a CIDR"],
    ["fe80::1%eth0/128", "is not a CIDR"],
    ["", "is not a CIDR"],
  ])("refuses %j: %s", (entry, message) => {
    expect(() => parseNetwork(entry)).toThrow(InvalidNetworkError);
    expect(() => parseNetwork(entry)).toThrow(message);
  });
});

describe("input that is not an IP address", () => {
  it.each(["localhost", "example.com", "", "1.2.3.4:80", "http://127.0.0.1/", "127.0.0.1/8", "::1::1", "08.0.0.1"])(
    "%j is refused (fail closed)",
    (input) => {
      expect(rangeOf(input)).toMatch(/^not an IP address/);
    },
  );
});
