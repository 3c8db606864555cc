import { isIPv4, isIPv6 } from 'node:net';

/** `truncate`: keep a network prefix (default /24 for IPv4, /48 for IPv6); `drop`: store nothing. */
export interface IpAnonymisation {
  mode: 'truncate' | 'drop';
  ipv4PrefixBits?: number;
  ipv6PrefixBits?: number;
}

export const DEFAULT_IP_ANONYMISATION: IpAnonymisation = { mode: 'truncate', ipv4PrefixBits: 24, ipv6PrefixBits: 48 };

/**
 * Only the anonymised address leaves this function. The collector calls it before producing to the log, so the full
 * address lives only in the request's memory (rate limiting, the privacy-proxy check of email opens); the processor
 * calls it again before storing (idempotent), which also covers records written by older collectors.
 */
export function anonymiseIp(ip: string, options: IpAnonymisation = DEFAULT_IP_ANONYMISATION): string {
  if (options.mode === 'drop' || !ip) return '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  if (isIPv4(address)) return maskIpv4(address, options.ipv4PrefixBits ?? 24);
  if (isIPv6(address)) return maskIpv6(address, options.ipv6PrefixBits ?? 48);
  return '';
}

function maskIpv4(ip: string, bits: number): string {
  const value = ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const keep = Math.max(0, Math.min(32, bits));
  const masked = keep === 0 ? 0 : Math.floor(value / 2 ** (32 - keep)) * 2 ** (32 - keep);
  return [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256).join('.');
}

function maskIpv6(ip: string, bits: number): string {
  const groups = expandIpv6(ip);
  if (!groups) return '';
  const keep = Math.max(0, Math.min(128, bits));
  const masked = groups.map((group, i) => {
    const groupStart = i * 16;
    if (keep >= groupStart + 16) return group;
    if (keep <= groupStart) return 0;
    const keepHere = keep - groupStart;
    return group & (0xffff << (16 - keepHere)) & 0xffff;
  });
  return compressIpv6(masked);
}

/** Eight 16-bit groups; an embedded IPv4 tail (::1.2.3.4) becomes the last two groups. */
function expandIpv6(ip: string): number[] | null {
  let text = ip.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const o = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail !== undefined && tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  const all = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  const parsed = all.map((g) => parseInt(g, 16));
  return parsed.length === 8 && parsed.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? parsed : null;
}

/** RFC 5952 text: the longest run of zero groups (length ≥ 2) becomes `::`. */
function compressIpv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLength < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
