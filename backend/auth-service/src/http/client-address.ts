import { isIP } from 'node:net';
import type { Request } from 'express';

/** The first four 16-bit groups of an IPv6 address, '::' expanded. */
function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The key the per-IP login limit counts under. `req.ip` comes from X-Forwarded-For when the
 * peer is a trusted proxy, and proxy-addr passes any text through, so only a well-formed
 * address is taken (else the connecting peer's). An IPv6 client is counted by its /64: one
 * subscriber usually holds the whole prefix and could otherwise rotate through it freely.
 */
export function clientAddress(req: Request): string {
  const claimed = req.ip && isIP(req.ip) ? req.ip : (req.socket.remoteAddress ?? 'unknown');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(claimed);
  if (mapped?.[1]) return mapped[1];
  if (isIP(claimed) !== 6) return claimed;
  return ipv6Prefix64(claimed.split('%')[0] ?? claimed);
}
