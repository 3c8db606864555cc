import { describe, expect, it } from 'vitest';
import { parseRoles } from './serve.js';

describe('spoor serve --roles', () => {
  it('reads a comma-separated list of roles', () => {
    expect([...parseRoles('processor, query-api')]).toEqual(['processor', 'query-api']);
  });

  it('names the flag, the unknown role and what is accepted', () => {
    expect(() => parseRoles('processor,api')).toThrow('--roles: "api" (accepted: collector, processor, query-api, demo)');
    expect(() => parseRoles(undefined)).toThrow(/--roles: required/);
  });
});
