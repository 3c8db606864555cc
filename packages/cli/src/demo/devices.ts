/**
 * Who the demo visitors are, as the collector would see them: a user agent and an address. The addresses are
 * from ranges that geolocate to the named countries in public IP databases (only looked up, never contacted),
 * so the processor's geo and device enrichment has real material.
 */
export const USER_AGENTS: ReadonlyArray<readonly [string, number]> = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 30],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15', 12],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 25],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 20],
  ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 5],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 6],
  ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 2],
];

/** [first three octets, weight]; the last octet is random. */
export const ADDRESS_PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ['81.2.69', 10], // GB
  ['89.160.20', 8], // SE
  ['216.160.83', 14], // US
  ['83.24.17', 16], // PL
  ['91.64.12', 18], // DE
  ['90.66.12', 10], // FR
  ['145.53.20', 8], // NL
  ['95.108.213', 6], // RU
];
