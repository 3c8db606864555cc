/** SQL rendering a DateTime64(3, 'UTC') expression as ISO 8601 with milliseconds, like Date.toISOString(). */
export const isoTime = (expr: string) => `concat(replaceOne(toString(${expr}), ' ', 'T'), 'Z')`;
