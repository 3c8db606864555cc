import { BlockList, isIP } from 'node:net';

/**
 * Tells likely machine opens from human ones. Privacy proxies and link scanners fetch the pixel for every
 * delivered message, so counting them as opens inflates open rates; they are recorded with
 * `props.machine = true` and a reason instead. Signals, strongest first: user agent, network, timing.
 */
export interface OpenClassifierOptions {
  /** Extra CIDR ranges whose opens are machine opens (e.g. your own mail security gateway). */
  extraMachineRanges?: readonly string[];
  /** An open this soon after the link was made is a scanner (humans don't open in the first seconds). */
  minHumanDelayMs?: number;
}

export type OpenVerdict = { machine: false } | { machine: true; reason: string };

const USER_AGENTS: ReadonlyArray<[RegExp, string]> = [
  [/GoogleImageProxy/i, 'gmail-image-proxy'],
  [/YahooMailProxy/i, 'yahoo-mail-proxy'],
  [/Barracuda|Mimecast|Proofpoint|Symantec|Forcepoint|Trend ?Micro|SpamTitan|Cisco|IronPort|Sophos/i, 'security-scanner'],
  [/bot\b|crawler|spider|python-requests|python-urllib|Go-http-client|curl\/|Wget|okhttp|Java\/|libwww|HeadlessChrome/i, 'automated-client'],
];

/** Networks of mail privacy proxies and scanning services (public registry allocations). */
const RANGES: ReadonlyArray<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['17.0.0.0', 8, 'ipv4', 'apple-mail-privacy-protection'],
  ['66.249.80.0', 20, 'ipv4', 'gmail-image-proxy'],
  ['66.102.0.0', 20, 'ipv4', 'gmail-image-proxy'],
  ['40.92.0.0', 15, 'ipv4', 'microsoft-exchange-protection'],
  ['40.107.0.0', 16, 'ipv4', 'microsoft-exchange-protection'],
  ['52.100.0.0', 14, 'ipv4', 'microsoft-exchange-protection'],
  ['104.47.0.0', 17, 'ipv4', 'microsoft-exchange-protection'],
];

export function createOpenClassifier(options: OpenClassifierOptions = {}) {
  const minHumanDelayMs = options.minHumanDelayMs ?? 5_000;
  const lists = new Map<string, BlockList>();
  const add = (address: string, prefix: number, family: 'ipv4' | 'ipv6', reason: string) => {
    const list = lists.get(reason) ?? new BlockList();
    list.addSubnet(address, prefix, family);
    lists.set(reason, list);
  };
  for (const [address, prefix, family, reason] of RANGES) add(address, prefix, family, reason);
  for (const cidr of options.extraMachineRanges ?? []) {
    const [address = '', prefixText = ''] = cidr.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    add(address, Number(prefixText || (family === 'ipv6' ? 128 : 32)), family, 'configured-range');
  }

  return function classifyOpen(input: { userAgent: string; clientIp: string; issuedAt: number; now: number }): OpenVerdict {
    const ua = input.userAgent.trim();
    for (const [pattern, reason] of USER_AGENTS) if (pattern.test(ua)) return { machine: true, reason: `user-agent: ${reason}` };
    const family = isIP(input.clientIp);
    if (family) {
      for (const [reason, list] of lists) {
        if (list.check(input.clientIp, family === 6 ? 'ipv6' : 'ipv4')) return { machine: true, reason: `network: ${reason}` };
      }
    }
    // Apple's proxy announces itself only as a bare "Mozilla/5.0"; real mail clients send a full user agent.
    if (ua === 'Mozilla/5.0') return { machine: true, reason: 'user-agent: apple-mail-privacy-protection' };
    if (!ua) return { machine: true, reason: 'user-agent: missing' };
    const delay = input.now - input.issuedAt;
    if (delay >= 0 && delay < minHumanDelayMs) return { machine: true, reason: `timing: opened ${Math.round(delay / 1000)} s after sending` };
    return { machine: false };
  };
}

export type OpenClassifier = ReturnType<typeof createOpenClassifier>;
