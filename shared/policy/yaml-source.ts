import { type Document, isCollection, isMap, isScalar, type LineCounter, type Node } from 'yaml';
import { formatPolicyPath, type PolicySource } from './issues';

/* Positions in a YAML policy file. Apart from issues.ts so that the functions, which load the compiled JSON
   policy, do not bundle the YAML parser (115 KiB). */

function childNode(node: unknown, key: PropertyKey): Node | undefined {
  if (!isCollection(node)) return undefined;
  const child: unknown = node.get(typeof key === 'symbol' ? String(key) : key, true);
  return isScalar(child) || isCollection(child) ? child : undefined;
}

/** The key node of `key` in a map, so that an unknown key points at itself rather than at its value. */
function keyNode(node: unknown, key: PropertyKey): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    const k: unknown = pair.key;
    if (isScalar(k) && String(k.value) === String(key)) return k;
  }
  return undefined;
}

/**
 * Positions from the parsed YAML: the node at the path, or its nearest existing parent (a missing
 * field is reported on the map that lacks it).
 */
export function yamlSource(file: string, doc: Document, lines: LineCounter): PolicySource {
  const position = (path: readonly PropertyKey[], keyed: boolean): { line: number; column: number } => {
    const chain: (Node | undefined)[] = [doc.contents ?? undefined];
    for (const key of path) chain.push(childNode(chain[chain.length - 1], key));
    let node: Node | undefined = keyed && path.length > 0 ? keyNode(chain[path.length - 1], path[path.length - 1]!) : undefined;
    for (let depth = path.length; node === undefined && depth >= 0; depth--) node = chain[depth];
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate: ({ path, message, atKey }) => ({ file, ...position(path, atKey === true), path: formatPolicyPath(path), message }),
  };
}

/** The source text of the scalar at the path, when it is a scalar (to quote the user's own spelling back). */
export function scalarSource(doc: Document, path: readonly PropertyKey[]): string | undefined {
  let node: unknown = doc.contents;
  for (const key of path) node = childNode(node, key);
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}
