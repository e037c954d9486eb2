/**
 * Structural comparison of emulator bodies with vendor examples: every path in the example must
 * exist in the emulator's body with the same JSON type (values differ by nature: ids, times).
 */
export function missingPaths(example: unknown, actual: unknown, ignore: readonly string[] = [], path = ''): string[] {
  if (ignore.includes(path)) return [];
  const kind = (v: unknown): string => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
  if (kind(example) !== kind(actual)) return [`${path || '<root>'}: ${kind(example)} expected, ${kind(actual)} found`];
  if (Array.isArray(example) && Array.isArray(actual)) {
    if (example.length === 0 || actual.length === 0) return [];
    return missingPaths(example[0], actual[0], ignore, `${path}[]`);
  }
  if (kind(example) === 'object') {
    const e = example as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((k) =>
      k in a
        ? missingPaths(e[k], a[k], ignore, path ? `${path}.${k}` : k)
        : ignore.includes(path ? `${path}.${k}` : k)
          ? []
          : [`${path ? `${path}.${k}` : k}: missing`],
    );
  }
  return [];
}
