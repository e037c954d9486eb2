import { type Document, isCollection, isMap, isScalar, type LineCounter, type Node } from 'yaml';

/** One problem in a policy file, where an editor can jump to it (1-based; 0:0 when the position is unknown). */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  /** Where in the policy, as `connections[0].hub` or `groups.hub.tags["peerkeeper/role"]`; '' for the whole file. */
  path: string;
  message: string;
}

/** A problem before it is placed in the file: the path as keys and indexes. */
export interface PathIssue {
  path: readonly PropertyKey[];
  message: string;
  /** Point at the last key itself rather than its value (an unknown or duplicate key). */
  atKey?: boolean;
}

/** Places path issues in the file; the loader returns one so that later checks (group warnings) can report lines too. */
export interface PolicySource {
  file: string;
  locate(issue: PathIssue): PolicyIssue;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** `['connections', 0, 'hub']` → `connections[0].hub`; keys that are not plain names are quoted. */
export function formatPolicyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** One line per issue, `policy.yaml:12:5 connections[0].hub: unknown group "hubb"`, in file order. */
export function renderPolicyIssues(issues: readonly PolicyIssue[]): string {
  return [...issues]
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column)
    .map((i) => `${i.file}${i.line > 0 ? `:${i.line}:${i.column}` : ''} ${i.path === '' ? '' : `${i.path}: `}${i.message}`)
    .join('\n');
}

/** A source without positions, for policies that did not come from a file (tests, JSON built in code). */
export function unplacedSource(file = 'policy'): PolicySource {
  return { file, locate: ({ path, message }) => ({ file, line: 0, column: 0, path: formatPolicyPath(path), message }) };
}

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
