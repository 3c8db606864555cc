import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from './client-event.js';
import { boundedText, identifierProblem, isPolicyClean, normaliseText, normaliseUrl } from './string-policy.js';
import { everyString, expectedOutcome, fieldName, forbiddenChar, hostileField, hostileString, readField, validEventOf, withString } from './testing/hostile-strings.js';
import { validateEvent } from './validate.js';

const TS = 1_763_800_000_000;
const normalise = (kind: 'text' | 'url', v: string) => (kind === 'text' ? normaliseText(v) : normaliseUrl(v));

describe('string policy', () => {
  it('normalises any string into a clean one, never longer, and leaves clean strings alone', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        for (const out of [normaliseText(s), normaliseUrl(s)]) {
          expect(isPolicyClean(out)).toBe(true);
          expect((out as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
          expect(out.length).toBeLessThanOrEqual(s.length);
        }
        if (isPolicyClean(s)) {
          expect(normaliseText(s)).toBe(s);
          expect(normaliseUrl(s)).toBe(s);
        }
        expect(identifierProblem(s) === undefined).toBe(isPolicyClean(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every forbidden class in identifiers, naming the code point', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), forbiddenChar, (prefix, bad) => {
        const problem = identifierProblem(`${prefix}${bad}`);
        expect(problem).toMatch(/U\+[0-9A-F]{4}/);
        expect(isPolicyClean(problem!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('repairs text per class: U+FFFD for surrogates and noncharacters, a space for line breaks, nothing for the rest', () => {
    expect(normaliseText('a\ud800b')).toBe('a\ufffdb');
    expect(normaliseText('\udc00\ud83d')).toBe('\ufffd\ufffd');
    expect(normaliseText('x\ufdd0y\u{1fffe}')).toBe('x\ufffdy\ufffd');
    expect(normaliseText('line\r\nnext\ttab\u2028sep')).toBe('line  next tab sep');
    expect(normaliseText('\ufeff\u0000a\u0007\u007f\u0085b\u202ec\u2066d\u2069')).toBe('abcd');
    expect(normaliseUrl('https://shop.example/a\n\tb\u0000')).toBe('https://shop.example/ab');
    // Kept: emoji (paired surrogates), RTL text, LRM/RLM marks, zero-width joiners, private use.
    const fine = '😀 שלום \u200e\u200f\u200d\ue000';
    expect(normaliseText(fine)).toBe(fine);
  });
});

describe('boundedText', () => {
  it('cuts on a code point boundary and normalises, for any string and bound (fast-check)', () => {
    fc.assert(
      fc.property(hostileString, fc.integer({ min: 0, max: 100 }), (s, max) => {
        const out = boundedText(s, max);
        expect(isPolicyClean(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(max);
      }),
      { numRuns: 2000 },
    );
    expect(boundedText(`${'a'.repeat(511)}\u{1f600}`, 512)).toBe('a'.repeat(511));
    expect(boundedText('\u{1f600}\u{1f600}', 4)).toBe('\u{1f600}\u{1f600}');
  });
});

describe('validateEvent applies the policy to every string field of every event type', () => {
  it('accepts with a clean value, or refuses naming the field (fast-check)', () => {
    const seen = { accepted: 0, repaired: 0, refused: 0 };
    fc.assert(
      fc.property(hostileField(EVENT_TYPES), ([type, field, value]) => {
        const result = validateEvent(withString(validEventOf(type, TS), field, value), { allowServerOnlyTypes: true });
        const want = expectedOutcome(field, value, normalise);
        if (!result.ok) {
          seen.refused++;
          expect(want.ok, `${fieldName(field)} = ${JSON.stringify(value)} refused: ${result.error}`).toBe(false);
          expect(result.error.startsWith(fieldName(field))).toBe(true);
          expect(isPolicyClean(result.error)).toBe(true);
          return;
        }
        expect(want.ok, `${fieldName(field)} = ${JSON.stringify(value)} accepted`).toBe(true);
        for (const s of everyString(result.value)) expect(isPolicyClean(s), JSON.stringify(s)).toBe(true);
        if (want.ok && !field.key) {
          expect(readField(result.value, field)).toBe(want.expected);
          if (want.expected === value) seen.accepted++;
          else seen.repaired++;
        }
      }),
      { numRuns: 3000 },
    );
    // The generator must reach each outcome, or the property proved little.
    for (const [outcome, n] of Object.entries(seen)) expect(n, outcome).toBeGreaterThan(50);
  });

  it('refuses a nested value in traits and properties by its key', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 500; i++) deep = { n: deep };
    for (const [type, record] of [['identify', 'traits'], ['custom', 'properties']] as const) {
      const event = validEventOf(type, TS);
      (event.props as Record<string, Record<string, unknown>>)[record]!.nested = deep;
      const result = validateEvent(event);
      expect(!result.ok && result.error).toMatch(new RegExp(`^props\\.${record}\\.nested: `));
    }
  });
});
