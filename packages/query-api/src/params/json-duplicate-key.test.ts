import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from './json-duplicate-key.js';

describe('duplicateJsonKey', () => {
  it('finds a key named twice in one object, escaped or not, at any depth', () => {
    expect(duplicateJsonKey('{"site":"shop-a","site":"shop-b"}')).toBe('site');
    expect(duplicateJsonKey('{"site":"shop-a", "\\u0073ite" : "shop-b"}')).toBe('site');
    expect(duplicateJsonKey('{"steps":[{"type":"a","type":"b"}]}')).toBe('type');
  });
  it('does not confuse strings, escaped quotes, sibling objects or arrays with keys', () => {
    expect(duplicateJsonKey('{"name":"\\"site\\": x","site":"a"}')).toBeUndefined();
    expect(duplicateJsonKey('{"a":"\\\\","site":"a"}')).toBeUndefined();
    expect(duplicateJsonKey('{"steps":[{"type":"a"},{"type":"b"}],"site":"x"}')).toBeUndefined();
    expect(duplicateJsonKey('["site","site"]')).toBeUndefined();
    expect(duplicateJsonKey('{"a":{"site":1},"site":2}')).toBeUndefined();
  });
});
