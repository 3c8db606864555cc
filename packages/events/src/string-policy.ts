/**
 * What a string in an event may hold — the one definition the collector applies to every route (browser batches,
 * `/v1/import`, the email pixel and click) and the processor applies again when it decodes the log.
 * docs/events.md "What a string may hold" states it for users; keep the two in step.
 *
 * Forbidden characters: lone surrogates (ClickHouse refuses them and the processor would retry forever), C0 controls
 * U+0000–U+001F and DEL U+007F, C1 controls U+0080–U+009F, the BOM / zero-width no-break space U+FEFF, bidi embeddings
 * and overrides U+202A–U+202E and isolates U+2066–U+2069 (they reorder what a dashboard or CSV shows: "Trojan Source"),
 * line and paragraph separators U+2028 / U+2029, and the 66 noncharacters (U+FDD0–U+FDEF, U+xFFFE, U+xFFFF).
 *
 * Identifiers (ids, keys, currency, names of things) are compared and joined on: changing one silently could merge two
 * customers or split one, so an identifier holding a forbidden character is refused with a reason. Free text (titles,
 * product names, search queries, trait values, user agents) is shown, never joined on, and often cut by a browser or
 * an SDK in the middle of a surrogate pair, so it is repaired instead: the event is kept.
 */

/** Node 20 and every current browser have these (ES2024); TypeScript's ES2023 lib does not declare them yet. */
interface WellFormedString {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
const isWellFormed = (value: string) => (value as unknown as WellFormedString).isWellFormed();
const toWellFormed = (value: string) => (value as unknown as WellFormedString).toWellFormed();

// eslint-disable-next-line no-control-regex -- control characters are exactly what this policy forbids
const FORBIDDEN = /[\u0000-\u001F\u007F-\u009F\uFEFF\u202A-\u202E\u2066-\u2069\u2028\u2029]|\p{Noncharacter_Code_Point}/u;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- and what it removes
const REMOVED = /[\u0000-\u001F\u007F-\u009F\uFEFF\u202A-\u202E\u2066-\u2069]/g;
const NONCHARACTERS = /\p{Noncharacter_Code_Point}/gu;

/** True when `value` holds nothing the policy forbids (well-formed UTF-16, none of the characters above). */
export function isPolicyClean(value: string): boolean {
  // Printable ASCII (nearly every id and key) is clean; the non-`u` regex answers that several times faster.
  return PRINTABLE_ASCII.test(value) || (isWellFormed(value) && !FORBIDDEN.test(value));
}

/** Why an identifier is refused, or undefined when it is clean: names the first offending character and its index. */
export function identifierProblem(value: string): string | undefined {
  if (PRINTABLE_ASCII.test(value)) return undefined;
  if (!isWellFormed(value)) {
    const match = LONE_SURROGATE.exec(value)!;
    return `contains a lone surrogate (U+${hex(match[0].charCodeAt(0))} at index ${match.index}); identifiers must be well-formed Unicode`;
  }
  const match = FORBIDDEN.exec(value);
  if (!match) return undefined;
  return `contains U+${hex(match[0].codePointAt(0)!)} at index ${match.index}; identifiers may not hold control, bidi, BOM or noncharacter code points`;
}

/**
 * Free text as stored: lone surrogates and noncharacters become U+FFFD; tab, CR, LF, U+2028 and U+2029 become a space
 * (free text is one line wherever it is shown: a table cell, a CSV field, a log line); every other forbidden character
 * is removed. Never longer than the input, so a length checked before still holds after.
 */
export function normaliseText(value: string): string {
  if (isPolicyClean(value)) return value;
  return toWellFormed(value).replace(LINE_BREAKS, ' ').replace(REMOVED, '').replace(NONCHARACTERS, '\uFFFD');
}

/**
 * A URL as stored: as free text, except that tab, CR and LF are removed (the URL standard's parser drops them too,
 * so the stored text still parses to the same URL) and so are U+2028 / U+2029.
 */
export function normaliseUrl(value: string): string {
  if (isPolicyClean(value)) return value;
  return toWellFormed(value).replace(LINE_BREAKS, '').replace(REMOVED, '').replace(NONCHARACTERS, '\uFFFD');
}

/**
 * Free text cut to `max` UTF-16 code units without splitting a surrogate pair, then normalised: for strings Spoor
 * derives and bounds itself (user agents, campaign parameters, search terms), where a plain `slice` could leave half
 * an emoji — a lone surrogate ClickHouse refuses.
 */
export function boundedText(value: string, max: number): string {
  let cut = value.length > max ? value.slice(0, max) : value;
  const last = cut.charCodeAt(cut.length - 1);
  if (cut.length < value.length && last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return normaliseText(cut);
}

/** In `u` mode a surrogate pair is one code point, so this class matches only lone surrogates. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, '0');
