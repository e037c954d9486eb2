/** Structural comparison with vendor examples: field names and JSON types are facts, values are not. */

function kind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Paths present in `expected` that `actual` lacks or holds with another JSON type. Arrays compare
 * their first elements. `ignore` lists paths (dotted, `[]` for array items) not to descend into.
 */
export function missingPaths(expected: unknown, actual: unknown, ignore: readonly string[] = [], path = ''): string[] {
  if (ignore.includes(path)) return [];
  if (kind(expected) !== kind(actual)) return [`${path || '<root>'}: expected ${kind(expected)}, got ${kind(actual)}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return [];
    if (actual.length === 0) return [`${path}: expected items, got an empty array`];
    return missingPaths(expected[0], actual[0], ignore, `${path}[]`);
  }
  if (kind(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    return Object.keys(e).flatMap((key) => {
      const next = path ? `${path}.${key}` : key;
      return key in a ? missingPaths(e[key], a[key], ignore, next) : [`${next}: missing`];
    });
  }
  return [];
}
