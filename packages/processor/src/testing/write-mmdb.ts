import { isIPv4 } from 'node:net';

/**
 * A minimal MaxMind DB (MMDB v2) writer for test fixtures: an IPv6 tree (IPv4 networks live under ::/96, where
 * readers look them up), 24-bit records, and the data types geo records use (map, string, double, uint, array).
 * No npm package writes MMDB; the format is small and documented at maxmind.github.io/MaxMind-DB.
 */
export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbEntry {
  /** CIDR network, e.g. "83.0.0.0/16" or "2a02:6b8::/32". */
  network: string;
  record: MmdbValue;
}

function ctrl(type: number, size: number): number[] {
  const head: number[] = [];
  let sizeBits: number;
  const extra: number[] = [];
  if (size < 29) sizeBits = size;
  else if (size < 285) [sizeBits, extra[0]] = [29, size - 29];
  else if (size < 65_821) [sizeBits, extra[0], extra[1]] = [30, (size - 285) >> 8, (size - 285) & 0xff];
  else throw new Error('fixture value too large');
  if (type <= 7) head.push((type << 5) | sizeBits);
  else head.push(sizeBits, type - 7);
  return [...head, ...extra];
}

function uintBytes(value: number): number[] {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return bytes;
}

export function encodeValue(value: MmdbValue): number[] {
  if (typeof value === 'string') {
    const bytes = [...Buffer.from(value, 'utf8')];
    return [...ctrl(2, bytes.length), ...bytes];
  }
  if (typeof value === 'boolean') return ctrl(14, value ? 1 : 0);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) {
      const bytes = uintBytes(value);
      return [...ctrl(6, bytes.length), ...bytes];
    }
    const buf = Buffer.alloc(8);
    buf.writeDoubleBE(value);
    return [...ctrl(3, 8), ...buf];
  }
  if (Array.isArray(value)) return [...ctrl(11, value.length), ...value.flatMap(encodeValue)];
  const entries = Object.entries(value);
  return [...ctrl(7, entries.length), ...entries.flatMap(([k, v]) => [...encodeValue(k), ...encodeValue(v)])];
}

function networkBits(network: string): number[] {
  const [address, prefixText] = network.split('/');
  if (!address || prefixText === undefined) throw new Error(`bad network ${network}`);
  const prefix = Number(prefixText);
  let bits: number[];
  if (isIPv4(address)) {
    const value = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    bits = [...Array<number>(96).fill(0), ...Array.from({ length: 32 }, (_, i) => Math.floor(value / 2 ** (31 - i)) % 2)];
    return bits.slice(0, 96 + prefix);
  }
  const [head, tail = ''] = address.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t].map((g) => parseInt(g, 16));
  bits = groups.flatMap((g) => Array.from({ length: 16 }, (_, i) => (g >> (15 - i)) & 1));
  return bits.slice(0, prefix);
}

export function writeMmdb(entries: MmdbEntry[], databaseType = 'Spoor-Test-City'): Buffer {
  // Tree: nodes of [left, right]; a record is a node index, 'empty', or a data index.
  type Rec = { node: number } | { data: number } | null;
  const nodes: Array<[Rec, Rec]> = [[null, null]];
  const data: number[][] = [];
  for (const entry of entries) {
    const bits = networkBits(entry.network);
    data.push(encodeValue(entry.record));
    let node = 0;
    bits.forEach((bit, i) => {
      const slot = nodes[node]!;
      if (i === bits.length - 1) {
        slot[bit] = { data: data.length - 1 };
        return;
      }
      const next = slot[bit];
      if (next && 'node' in next) node = next.node;
      else {
        nodes.push([null, null]);
        slot[bit] = { node: nodes.length - 1 };
        node = nodes.length - 1;
      }
    });
  }
  const dataOffsets: number[] = [];
  let offset = 0;
  for (const d of data) {
    dataOffsets.push(offset);
    offset += d.length;
  }
  const nodeCount = nodes.length;
  const recordValue = (r: Rec) => (r === null ? nodeCount : 'node' in r ? r.node : nodeCount + 16 + dataOffsets[r.data]!);
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(recordValue(l), i * 6, 3);
    tree.writeUIntBE(recordValue(r), i * 6 + 3, 3);
  });
  const metadata = encodeValue({
    node_count: nodeCount,
    record_size: 24,
    ip_version: 6,
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_763_800_000,
    description: { en: 'Spoor test fixture' },
  });
  return Buffer.concat([tree, Buffer.alloc(16), Buffer.from(data.flat()), Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), Buffer.from(metadata)]);
}
