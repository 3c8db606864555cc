/**
 * How much geo precision the collector's address truncation costs (issue 16 §2; docs/processor.md "IP anonymisation"):
 * for random public addresses that the bundled DB-IP City Lite database locates, the share whose country, region or
 * city differs between the full address and its /24 (IPv4) or /48 (IPv6) network address.
 *   npx tsx packages/processor/bench/ip-truncation-accuracy.ts [samples=100000] [seed=16]
 */
import { anonymiseIp } from '@spoor/infra';
import { createGeoLookup, openGeoDatabases } from '../src/enrich/geo-lookup.js';

const samples = Number(process.argv[2] ?? 100_000);
let state = Number(process.argv[3] ?? 16) >>> 0;
// xorshift32: reproducible without a dependency.
const next = () => {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
};

const geo = createGeoLookup(await openGeoDatabases([]));

function isPublicV4(a: number, b: number): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 100 && b >= 64 && b < 128) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b < 32) return false;
  if (a === 192 && b === 168) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  return true;
}

function randomV4(): string {
  for (;;) {
    const n = next();
    const parts = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
    if (isPublicV4(parts[0]!, parts[1]!)) return parts.join('.');
  }
}

/** Global unicast 2000::/3, weighted to where addresses are allocated: the /12s of the five RIRs' big blocks. */
const V6_PREFIXES = [0x2001, 0x2400, 0x2403, 0x2404, 0x2405, 0x2406, 0x2407, 0x2408, 0x2409, 0x240e, 0x2600, 0x2601, 0x2602, 0x2603, 0x2604, 0x2605, 0x2606, 0x2607, 0x2800, 0x2801, 0x2803, 0x2804, 0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2a04, 0x2a05, 0x2a06, 0x2a07, 0x2a0a, 0x2a0b, 0x2a0c, 0x2a0d, 0x2a0e, 0x2a10, 0x2c0f];
function randomV6(): string {
  const groups = [V6_PREFIXES[next() % V6_PREFIXES.length]!];
  for (let i = 1; i < 8; i++) groups.push(next() & 0xffff);
  return groups.map((g) => g.toString(16)).join(':');
}

function measure(label: string, random: () => string, maxTries: number) {
  let located = 0;
  let tries = 0;
  const differs = { country: 0, region: 0, city: 0, unlocated: 0 };
  while (located < samples && tries < maxTries) {
    tries++;
    const ip = random();
    const full = geo(ip);
    if (!full.country) continue;
    located++;
    const cut = geo(anonymiseIp(ip));
    if (!cut.country) differs.unlocated++;
    if (cut.country !== full.country) differs.country++;
    if (cut.region !== full.region || cut.country !== full.country) differs.region++;
    if (cut.city !== full.city || cut.region !== full.region || cut.country !== full.country) differs.city++;
  }
  const pct = (n: number) => `${((100 * n) / located).toFixed(3)} %`;
  console.log(`${label}: ${located} located of ${tries} random addresses; differ after truncation: country ${differs.country} (${pct(differs.country)}), region ${differs.region} (${pct(differs.region)}), city ${differs.city} (${pct(differs.city)}); unlocated after truncation ${differs.unlocated} (${pct(differs.unlocated)})`);
}

measure('IPv4 x.y.z.w vs x.y.z.0', randomV4, samples * 3);
measure('IPv6 full vs /48', randomV6, samples * 50);
