/** With the `u` flag a surrogate class matches only unpaired halves: a pair is one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Text the query API accepts anywhere (parameters, body strings, object keys): well-formed UTF-16 (no lone
 * surrogate, which ClickHouse refuses and UTF-8 cannot carry) and no NUL. Returns why not, or undefined.
 */
export function malformedTextReason(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'contains a lone surrogate (not well-formed Unicode)';
  if (value.includes('\u0000')) return 'contains a NUL character';
  return undefined;
}
