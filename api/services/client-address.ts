// Which address a request comes from, for the per-IP rate limit. Behind a reverse proxy every
// client shares the proxy's address, so the proxies named in SIPAS_TRUSTED_PROXIES are looked
// through: their X-Forwarded-For says whom they relayed. Each proxy appends the address it was
// reached from, so the list is read from the right, past the trusted proxies; whatever lies
// further left was written by the client and is never believed.
import { BlockList, isIP } from 'node:net';

/** An IP address, or a CIDR block (`10.0.0.0/8`, `fd00::/8`): an entry of the trusted list. */
export function parseAddressBlock(
  text: string,
): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

/** An IPv4 address as a dual-stack socket reports it (`::ffff:1.2.3.4`), as IPv4. */
function plain(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Whether an address (as a socket reports it) is one of the trusted proxies. */
export function trustedProxyCheck(trusted: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of trusted) {
    const block = parseAddressBlock(entry);
    if (block) list.addSubnet(block.address, block.prefix, block.family);
  }
  return (address) => {
    const version = isIP(plain(address));
    return version !== 0 && list.check(plain(address), version === 4 ? 'ipv4' : 'ipv6');
  };
}

/**
 * The client's address: the socket's peer, or when that peer is a trusted proxy, the right-most
 * X-Forwarded-For entry that is not one (the left-most entry when all are).
 */
export function clientAddressResolver(
  trusted: readonly string[],
): (peer: string | undefined, forwardedFor: string | undefined) => string | undefined {
  const isTrusted = trustedProxyCheck(trusted);
  return (peer, forwardedFor) => {
    if (peer === undefined) return undefined;
    const socket = plain(peer);
    if (trusted.length === 0 || !isTrusted(socket) || forwardedFor === undefined) return socket;
    const hops = forwardedFor
      .split(',')
      .map((hop) => plain(hop.trim()))
      .filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i];
      if (hop !== undefined && !isTrusted(hop)) return hop;
    }
    return hops[0] ?? socket;
  };
}
