import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorBody, errorBodySchema } from './error-body.js';

describe('errorBodySchema', () => {
  it('accepts the body errorBody builds for every code, and leaves parameter out when there is none', () => {
    for (const code of Object.keys(ERROR_CODES) as Array<keyof typeof ERROR_CODES>) {
      const body = errorBody(code, 'something: wrong', 'something');
      expect(errorBodySchema.parse(body)).toEqual(body);
    }
    expect(errorBody('not_found', 'no such endpoint')).toEqual({ error: { code: 'not_found', message: 'no such endpoint' } });
  });

  it('refuses the old shapes, unknown codes, extra fields and a 400 that names no parameter', () => {
    for (const bad of [
      { error: 'Origin: x is not allowed', code: 'origin_not_allowed' },
      { error: { code: 'bad_parameter', message: 'from: bad', parameter: 'from' } },
      { error: { code: 'not_found', message: 'x', detail: 1 } },
      { error: { code: 'not_found', message: '' } },
      { error: { code: 'invalid_parameter', message: 'from: bad' } },
      { error: { code: 'invalid_parameter', message: 'from: bad', parameter: '' } },
    ]) {
      expect(errorBodySchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('the documented error codes', () => {
  it.each(['docs/api.md', 'docs/collector.md'])('%s lists exactly the codes of ERROR_CODES, each with its status', (doc) => {
    const text = readFileSync(new URL(`../../../${doc}`, import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('\n## Errors\n'), text.indexOf('\n## ', text.indexOf('\n## Errors\n') + 1));
    const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map(([, code, status]) => [code, Number(status)]);
    expect(rows).toEqual(Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]));
  });
});
