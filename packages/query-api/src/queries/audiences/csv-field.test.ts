import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv-field.js';
import { membersCsv } from './members-csv.js';

/** RFC 4180 reader, as a spreadsheet's CSV import reads cells (quotes removed, doubled quotes undone). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i += 1; continue; }
      cell += ch; i += 1; continue;
    }
    if (ch === '"' && cell === '') { quoted = true; i += 1; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i += 1; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i += 1;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r', '\n', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20'];

/** Strings that start with anything, with a bias towards formula starts, quotes, separators and lone surrogates. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.tuple(fc.constantFrom(...FORMULA_STARTS, '"', ',', "'", ' '), fc.string({ unit: 'binary' })).map(([a, b]) => a + b),
  fc.constantFrom('=HYPERLINK("http://evil","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '"=1"', '\'=1'),
);

describe('CSV fields (OWASP CSV injection)', () => {
  it.each(FORMULA_STARTS)('a cell starting with %j is prefixed with a quote and quoted', (start) => {
    expect(csvField(`${start}1+1`)).toBe(`"'${start}1+1"`);
  });

  it('plain values are unchanged, RFC 4180 specials quoted', () => {
    expect(csvField('alice@example.com')).toBe('alice@example.com');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('')).toBe('');
  });

  it('any values: every cell reads back as the value (plus one leading quote exactly when it started like a formula), none starts a formula', () => {
    fc.assert(
      fc.property(fc.array(fc.array(hostile, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (records) => {
        const widths = new Set(records.map((r) => r.length));
        fc.pre(widths.size === 1);
        const parsed = parseCsv(records.map((r) => csvLine(r)).join(''));
        expect(parsed).toHaveLength(records.length);
        parsed.forEach((row, r) =>
          row.forEach((cell, c) => {
            const value = records[r]![c]!;
            const risky = FORMULA_STARTS.some((s) => value.startsWith(s));
            expect(cell).toBe(risky ? `'${value}` : value);
            expect(FORMULA_STARTS.some((s) => cell.startsWith(s))).toBe(false);
          }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('the audience members export neutralises every column', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, (person_id, customer_id, email, phone) => {
        const [header, row, ...rest] = parseCsv(membersCsv([{ person_id, customer_id, email, email_sha256: '', phone }]));
        expect(header).toEqual(['person_id', 'customer_id', 'email', 'phone']);
        expect(rest).toEqual([]);
        for (const cell of row!) expect(FORMULA_STARTS.some((s) => cell.startsWith(s))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
