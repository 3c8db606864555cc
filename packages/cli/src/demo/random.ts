import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** Seeded randomness so a demo run is reproducible (same seed → same events, which the pipeline dedupes). */
export interface Random {
  float(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
  uuid(): string;
}

export function createRandom(seed: number): Random {
  const rng = xoroshiro128plus(seed);
  const random: Random = {
    float: () => uniformFloat64(rng),
    int: (min, max) => uniformInt(rng, min, max),
    chance: (p) => uniformFloat64(rng) < p,
    pick: (items) => items[uniformInt(rng, 0, items.length - 1)]!,
    weighted(items) {
      const total = items.reduce((sum, [, w]) => sum + w, 0);
      let roll = uniformFloat64(rng) * total;
      for (const [item, weight] of items) if ((roll -= weight) < 0) return item;
      return items[items.length - 1]![0];
    },
    uuid() {
      const hex = Array.from({ length: 32 }, () => uniformInt(rng, 0, 15).toString(16));
      hex[12] = '4';
      hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
      const h = hex.join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
  return random;
}
