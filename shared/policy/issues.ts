import { PolicyError } from '../errors';

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
    .map(
      (i) => `${i.file}${i.line > 0 ? `:${i.line}:${i.column}` : ''} ${i.path === '' ? '' : `${i.path}: `}${i.message}`,
    )
    .join('\n');
}

/** A source without positions, for policies that did not come from a file (tests, JSON built in code). */
export function unplacedSource(file = 'policy'): PolicySource {
  return { file, locate: ({ path, message }) => ({ file, line: 0, column: 0, path: formatPolicyPath(path), message }) };
}

/** Every problem at once, in file order, as the error a loader throws. */
export function policyFailure(file: string, issues: readonly PolicyIssue[]): PolicyError {
  const sorted = [...issues].sort((a, b) => a.line - b.line || a.column - b.column);
  return new PolicyError(
    `${file}: ${sorted.length} problem${sorted.length === 1 ? '' : 's'} in the policy\n${renderPolicyIssues(sorted)}`,
    sorted,
  );
}
