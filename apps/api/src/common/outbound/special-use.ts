import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// IANA allocates global unicast IPv6 only from 2000::/3; ipaddr.js calls a few addresses outside
// it 'unicast' (::/96, the old IPv4-compatible form, for one), so IPv6 must also sit in here.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Why an IP address is not one a tenant may make this server call, or null for a public unicast
 * address. The names come from ipaddr.js's range(), a maintained copy of IANA's special-purpose
 * address registries: anything it does not call 'unicast' (loopback, private, linkLocal,
 * carrierGradeNat, reserved, benchmarking, rfc6052 NAT64, 6to4, teredo, ipv4Mapped, ...) is refused.
 */
export function specialUseRange(address: string): string | null {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!isIP(bare)) return 'not an IP address';
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(bare);
  } catch {
    return 'not an IP address';
  }
  const range = ip.range();
  if (range !== 'unicast') return range;
  if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return 'outside global unicast (2000::/3)';
  return null;
}

/** RFC 6761: `localhost` and every name under it are loopback, whatever a resolver says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
