import { describe, expect, it } from 'vitest';
import { DEFAULT_STRIP_PARAMS, stripUrl } from './strip-url.js';

describe('stripUrl', () => {
  it('removes the listed parameters case-insensitively and keeps the rest in order', () => {
    expect(stripUrl('https://s.example/p?utm_source=mail&Email=a%40b.c&q=shoes&token=x#top', DEFAULT_STRIP_PARAMS)).toBe(
      'https://s.example/p?utm_source=mail&q=shoes#top',
    );
  });

  it('drops the question mark when nothing is left', () => {
    expect(stripUrl('https://s.example/p?spoor_it=abc.def', DEFAULT_STRIP_PARAMS)).toBe('https://s.example/p');
  });

  it('returns untouched URLs exactly as given', () => {
    expect(stripUrl('https://s.example/p?a=1&b=%20', ['email'])).toBe('https://s.example/p?a=1&b=%20');
    expect(stripUrl('not a url', ['email'])).toBe('not a url');
    expect(stripUrl('', ['email'])).toBe('');
  });

  it('honours configured extra parameters', () => {
    expect(stripUrl('https://s.example/?phone=1&x=2', [...DEFAULT_STRIP_PARAMS, 'phone'])).toBe('https://s.example/?x=2');
  });
});
