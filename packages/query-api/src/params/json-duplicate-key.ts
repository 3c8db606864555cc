/**
 * The first key that appears twice in one object of valid JSON text, decoded (`"\u0073ite"` is `site`), or undefined.
 * JSON.parse keeps the last of duplicates silently; a body naming a field twice is ambiguous, so it is refused instead
 * (a `site` given twice could otherwise be checked as one value and read as the other by a parser that keeps the first).
 */
export function duplicateJsonKey(text: string): string | undefined {
  // One entry per open container: the keys seen so far (objects) or null (arrays).
  const open: Array<Set<string> | null> = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const literal = text.slice(i, end + 1);
      i = end + 1;
      let next = i;
      while (next < text.length && (text[next] === ' ' || text[next] === '\t' || text[next] === '\n' || text[next] === '\r')) next += 1;
      const keys = open[open.length - 1];
      if (text[next] === ':' && keys) {
        const key = JSON.parse(literal) as string;
        if (keys.has(key)) return key;
        keys.add(key);
      }
      continue;
    }
    if (ch === '{') open.push(new Set());
    else if (ch === '[') open.push(null);
    else if (ch === '}' || ch === ']') open.pop();
    i += 1;
  }
  return undefined;
}
