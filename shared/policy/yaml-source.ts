import {
  type Document,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  visit,
  type YAMLMap,
} from 'yaml';
import { formatPolicyPath, type PolicySource } from './issues';

/* Positions in a YAML policy file. Apart from issues.ts so that the functions, which load the compiled JSON
   policy, do not bundle the YAML parser (115 KiB). */

/*
 * Each map's pairs by key, built once per map. `YAMLMap.get` scans the map's items, so placing one warning per
 * group of a 20k-group policy scanned 20k items 20k times (17 s); with the index, placing every warning is
 * linear in the file's size.
 */
const pairsByKey = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairOf(node: unknown, key: PropertyKey): Pair | undefined {
  if (!isMap(node)) return undefined;
  let index = pairsByKey.get(node);
  if (index === undefined) {
    index = new Map();
    for (const pair of node.items) {
      const k: unknown = pair.key;
      const name = isScalar(k) ? String(k.value) : String(k);
      if (!index.has(name)) index.set(name, pair);
    }
    pairsByKey.set(node, index);
  }
  return index.get(String(key));
}

function childNode(node: unknown, key: PropertyKey): Node | undefined {
  const child: unknown = isSeq(node)
    ? typeof key === 'number'
      ? node.items[key]
      : undefined
    : pairOf(node, key)?.value;
  return isScalar(child) || isCollection(child) ? child : undefined;
}

/** The key node of `key` in a map, so that an unknown key points at itself rather than at its value. */
function keyNode(node: unknown, key: PropertyKey): Node | undefined {
  const k: unknown = pairOf(node, key)?.key;
  return isScalar(k) ? k : undefined;
}

/**
 * Positions from the parsed YAML: the node at the path, or its nearest existing parent (a missing
 * field is reported on the map that lacks it).
 */
export function yamlSource(file: string, doc: Document, lines: LineCounter): PolicySource {
  const position = (path: readonly PropertyKey[], keyed: boolean): { line: number; column: number } => {
    const chain: (Node | undefined)[] = [doc.contents ?? undefined];
    for (const key of path) chain.push(childNode(chain[chain.length - 1], key));
    let node: Node | undefined =
      keyed && path.length > 0 ? keyNode(chain[path.length - 1], path[path.length - 1]!) : undefined;
    for (let depth = path.length; node === undefined && depth >= 0; depth--) node = chain[depth];
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate: ({ path, message, atKey }) => ({
      file,
      ...position(path, atKey === true),
      path: formatPolicyPath(path),
      message,
    }),
  };
}

/** The source text of the scalar at the path, when it is a scalar (to quote the user's own spelling back). */
export function scalarSource(doc: Document, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = doc.contents;
  for (const key of path) node = childNode(node, key);
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}

/**
 * Keys repeated in one map, at the repeat (YAML's own wording). The parser can check this itself (`uniqueKeys`),
 * but it compares every key with every earlier key of its map: 20k groups took 17 s. One set per map is linear.
 */
export function duplicateKeys(doc: Document): { offset: number; message: string }[] {
  const found: { offset: number; message: string }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key: unknown = pair.key;
        if (!isScalar(key)) continue;
        const name = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(name))
          found.push({
            offset: key.range?.[0] ?? 0,
            message: `Map keys must be unique: "${String(key.value)}" is already set in this map`,
          });
        seen.add(name);
      }
    },
  });
  return found;
}
