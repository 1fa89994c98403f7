import ipaddr from "ipaddr.js";

/**
 * Which addresses the server may not send a user's request to unless the operator opens them
 * (FORWARD_ALLOWED_NETWORKS): everything that is not the public internet. From the IANA special-
 * purpose registries (RFC 6890 and successors). Read top to bottom: the first match names the range.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface EgressPolicy {
  /** CIDRs (or single addresses) allowed although blocked by default. */
  allowedNetworks: string[];
}

export type BlockCheck = { blocked: false } | { blocked: true; range: string };

interface NamedRange {
  name: string;
  cidr: string;
}

export const BLOCKED_IPV4_RANGES: readonly NamedRange[] = [
  // "This network": 0.0.0.0 reaches the local host on Linux.
  { name: "unspecified", cidr: "0.0.0.0/8" },
  { name: "private", cidr: "10.0.0.0/8" },
  { name: "shared address space (CGNAT)", cidr: "100.64.0.0/10" },
  { name: "loopback", cidr: "127.0.0.0/8" },
  // Cloud metadata (169.254.169.254) lives here.
  { name: "link-local", cidr: "169.254.0.0/16" },
  { name: "private", cidr: "172.16.0.0/12" },
  { name: "IETF protocol assignments", cidr: "192.0.0.0/24" },
  { name: "documentation", cidr: "192.0.2.0/24" },
  { name: "6to4 relay anycast (deprecated)", cidr: "192.88.99.0/24" },
  { name: "private", cidr: "192.168.0.0/16" },
  { name: "benchmarking", cidr: "198.18.0.0/15" },
  { name: "documentation", cidr: "198.51.100.0/24" },
  { name: "documentation", cidr: "203.0.113.0/24" },
  { name: "multicast", cidr: "224.0.0.0/4" },
  { name: "broadcast", cidr: "255.255.255.255/32" },
  { name: "reserved", cidr: "240.0.0.0/4" },
];

export const BLOCKED_IPV6_RANGES: readonly NamedRange[] = [
  { name: "unspecified", cidr: "::/128" },
  { name: "loopback", cidr: "::1/128" },
  { name: "discard-only", cidr: "100::/64" },
  { name: "local-use NAT64", cidr: "64:ff9b:1::/48" },
  // Teredo tunnels to an address hidden in the low bits; nothing a webhook needs.
  { name: "Teredo", cidr: "2001::/32" },
  { name: "IETF protocol assignments", cidr: "2001::/23" },
  { name: "documentation", cidr: "2001:db8::/32" },
  { name: "documentation", cidr: "3fff::/20" },
  { name: "unique local", cidr: "fc00::/7" },
  { name: "site-local (deprecated)", cidr: "fec0::/10" },
  { name: "link-local", cidr: "fe80::/10" },
  { name: "multicast", cidr: "ff00::/8" },
];

/**
 * IPv6 forms that stand for an IPv4 address: blocked when that address is. IPv4-mapped addresses
 * are the IPv4 address itself on a dual-stack socket, so they are checked (and allowed) as IPv4.
 */
const EMBEDDED_IPV4_FORMS: readonly (NamedRange & { firstByte: number })[] = [
  { name: "IPv4-translated", cidr: "::ffff:0:0:0/96", firstByte: 12 },
  { name: "NAT64", cidr: "64:ff9b::/96", firstByte: 12 },
  { name: "IPv4-compatible (deprecated)", cidr: "::/96", firstByte: 12 },
  { name: "6to4", cidr: "2002::/16", firstByte: 2 },
];

/** Publicly routed IPv6 is 2000::/3; apart from NAT64 of a public address, the rest is not the internet. */
const GLOBAL_UNICAST_IPV6 = "2000::/3";
const PUBLIC_OUTSIDE_GLOBAL_UNICAST = new Set(["NAT64"]);

/**
 * Credential endpoints of cloud hosts. Opening a whole range (169.254.0.0/16, fd00::/8) does not
 * open these: only an allowed entry naming the exact address does, because one request there can
 * hand out the host's cloud credentials.
 */
export const CLOUD_METADATA_ADDRESSES: readonly string[] = [
  "169.254.169.254", // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  "169.254.170.2", // AWS ECS task credentials
  "169.254.170.23", // AWS EKS pod identity
  "100.100.100.200", // Alibaba Cloud
  "192.0.0.192", // Oracle Cloud (legacy)
  "fd00:ec2::254", // AWS IPv6
  "fd00:ec2::23", // AWS EKS pod identity IPv6
];

const parsedV4 = BLOCKED_IPV4_RANGES.map((range) => ({ ...range, network: ipaddr.IPv4.parseCIDR(range.cidr) }));
const parsedV6 = BLOCKED_IPV6_RANGES.map((range) => ({ ...range, network: ipaddr.IPv6.parseCIDR(range.cidr) }));
const parsedForms = EMBEDDED_IPV4_FORMS.map((form) => ({ ...form, network: ipaddr.IPv6.parseCIDR(form.cidr) }));
const globalUnicast = ipaddr.IPv6.parseCIDR(GLOBAL_UNICAST_IPV6);
const metadata = new Set(CLOUD_METADATA_ADDRESSES.map((address) => ipaddr.parse(address).toNormalizedString()));

/**
 * Canonical address for any spelling a URL host may use: WHATWG's host parser is the authority
 * (it turns 2130706433, 0x7f.1 and 017700000001 into 127.0.0.1), so what is checked here is what a
 * URL would connect to. IPv4-mapped IPv6 becomes the IPv4 address. Null when not an IP address.
 */
export function parseIpAddress(input: string): Address | null {
  let text = input.trim();
  if (text.startsWith("[") && text.endsWith("]")) text = text.slice(1, -1);
  if (text.includes(":")) {
    // A zone (fe80::1%eth0) picks an interface, not an address.
    const withoutZone = text.replace(/%.*$/, "");
    if (!/^[0-9A-Fa-f:.]+$/.test(withoutZone) || !ipaddr.IPv6.isValid(withoutZone)) return null;
    const canonical = canonicalHost(`[${withoutZone}]`);
    if (canonical === null) return null;
    const address = ipaddr.IPv6.parse(canonical.slice(1, -1));
    return address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
  }
  if (!/^[0-9A-Fa-fXx.]+$/.test(text)) return null;
  const canonical = canonicalHost(text);
  if (canonical === null || !ipaddr.IPv4.isValidFourPartDecimal(canonical)) return null;
  return ipaddr.IPv4.parse(canonical);
}

function canonicalHost(host: string): string | null {
  try {
    return new URL(`http://${host}/`).hostname;
  } catch {
    return null;
  }
}

export class InvalidNetworkError extends Error {}

/**
 * Parses one allowed-network entry: `10.0.0.0/8`, `fd00::/8`, or a single address. Strict, so a
 * typo cannot silently open more or less than meant: four-part decimal IPv4 only, and no host bits
 * set beyond the prefix.
 */
export function parseNetwork(entry: string): [Address, number] {
  const text = entry.trim();
  const [addressText = "", prefixText, ...rest] = text.split("/");
  if (rest.length > 0) throw new InvalidNetworkError(`"${entry}" is not a CIDR (like 10.0.0.0/8 or fd00::/8)`);
  const isV6 = addressText.includes(":");
  const valid = isV6 ? ipaddr.IPv6.isValid(addressText) && !addressText.includes("%") : ipaddr.IPv4.isValidFourPartDecimal(addressText);
  if (!valid) throw new InvalidNetworkError(`"${entry}" is not a CIDR (like 10.0.0.0/8 or fd00::/8)`);
  const maxPrefix = isV6 ? 128 : 32;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) {
    throw new InvalidNetworkError(`"${entry}" has an invalid prefix length (0 to ${maxPrefix})`);
  }
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (prefix > maxPrefix) throw new InvalidNetworkError(`"${entry}" has an invalid prefix length (0 to ${maxPrefix})`);
  const address = ipaddr.parse(addressText);
  const network = isV6
    ? ipaddr.IPv6.networkAddressFromCIDR(`${addressText}/${prefix}`)
    : ipaddr.IPv4.networkAddressFromCIDR(`${addressText}/${prefix}`);
  if (network.toNormalizedString() !== address.toNormalizedString()) {
    throw new InvalidNetworkError(`"${entry}" has host bits set; did you mean ${network.toString()}/${prefix}?`);
  }
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8, the form addresses are checked in.
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() && prefix >= 96) {
    return [address.toIPv4Address(), prefix - 96];
  }
  return [address, prefix];
}

function inNetwork(address: Address, [network, prefix]: [Address, number]): boolean {
  return address.kind() === network.kind() && address.match(network, prefix);
}

function allowedBy(address: Address, policy: EgressPolicy): boolean {
  const fullLength = address.kind() === "ipv4" ? 32 : 128;
  const isMetadata = metadata.has(address.toNormalizedString());
  return policy.allowedNetworks.some((entry) => {
    const network = parseNetwork(entry);
    return inNetwork(address, network) && (!isMetadata || network[1] === fullLength);
  });
}

function blockedV4(address: ipaddr.IPv4): string | null {
  const hit = parsedV4.find((range) => address.match(range.network));
  return hit ? `${hit.name} ${hit.cidr}` : null;
}

/**
 * Whether the server must refuse to connect to `ip` (any spelling a URL host may use), and which
 * range it is in. Anything that is not an IP address is refused: the caller resolves names first.
 */
export function isBlockedAddress(ip: string, policy: EgressPolicy): BlockCheck {
  const address = parseIpAddress(ip);
  if (address === null) return { blocked: true, range: `not an IP address: ${JSON.stringify(ip)}` };
  if (allowedBy(address, policy)) return { blocked: false };
  if (metadata.has(address.toNormalizedString())) {
    return { blocked: true, range: `cloud metadata ${address.toString()}` };
  }
  if (address instanceof ipaddr.IPv4) {
    const range = blockedV4(address);
    return range ? { blocked: true, range } : { blocked: false };
  }
  const hit = parsedV6.find((range) => address.match(range.network));
  if (hit) return { blocked: true, range: `${hit.name} ${hit.cidr}` };
  const bytes = address.toByteArray();
  for (const form of parsedForms) {
    if (!address.match(form.network)) continue;
    const embedded = new ipaddr.IPv4(bytes.slice(form.firstByte, form.firstByte + 4));
    const range = metadata.has(embedded.toNormalizedString()) ? `cloud metadata ${embedded.toString()}` : blockedV4(embedded);
    if (range) return { blocked: true, range: `${range} (${embedded.toString()} as ${form.name} ${form.cidr})` };
    if (PUBLIC_OUTSIDE_GLOBAL_UNICAST.has(form.name)) return { blocked: false };
  }
  if (!address.match(globalUnicast)) return { blocked: true, range: `reserved (outside global unicast ${GLOBAL_UNICAST_IPV6})` };
  return { blocked: false };
}
