import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { type PathIssue, type PolicyIssue, type PolicySource, policyFailure } from './issues';
import { duplicateKeys, scalarSource, yamlSource } from './yaml-source';
import { PolicySchema, type Policy } from './schema';
import { checkPolicySemantics } from './semantics';
import { denyCoverageIssues } from './deny-coverage';

type ZodIssue = z.core.$ZodIssue;

/** What `loadPolicy` returns: the validated policy with defaults applied, warnings, and positions for later checks. */
export interface LoadedPolicy {
  policy: Policy;
  warnings: PolicyIssue[];
  /** Places issues found later (e.g. `groupWarnings`) in the same file. */
  source: PolicySource;
}

// YAML's own default is 100 aliases; a policy needs a handful. Bounds "billion laughs" expansion.
const MAX_ALIASES = 100;

function received(issue: ZodIssue): string {
  return /received (\w+)/.exec(issue.message)?.[1] ?? 'something else';
}

/** Union failures are reported as the branch that got furthest, or as "expected A or B" when none got anywhere. */
function flattenIssue(issue: ZodIssue, prefix: readonly PropertyKey[], doc: Document, raw: unknown): PathIssue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'unrecognized_keys' && path.length > 0 && isMissing(raw, path)) {
    return [{ path, message: `required field "${String(path[path.length - 1])}" is missing` }];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"`, atKey: true }));
    case 'invalid_union': {
      const branches = issue.errors;
      if (branches.length === 0) return [{ path, message: issue.message }];
      const shallow = branches.every((b) => b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0);
      if (shallow) {
        const expected = branches.map((b) => (b[0] as z.core.$ZodIssueInvalidType).expected);
        return [
          {
            path,
            message: hinted(`expected ${expected.join(' or ')}, received ${received(branches[0]![0]!)}`, path, doc),
          },
        ];
      }
      const depth = (b: readonly ZodIssue[]): number => Math.max(...b.map((i) => i.path.length));
      const best = [...branches].sort((x, y) => depth(y) - depth(x) || x.length - y.length)[0]!;
      return best.flatMap((i) => flattenIssue(i, path, doc, raw));
    }
    case 'invalid_type':
      return [{ path, message: hinted(issue.message.replace(/^Invalid input: /, ''), path, doc) }];
    default:
      return [{ path, message: issue.message.replace(/^Invalid input: /, '') }];
  }
}

/** True when the parent of `path` is an object without the last key (a field left out, not one set to null). */
function isMissing(raw: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = raw;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return false;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return (
    typeof node === 'object' && node !== null && !Array.isArray(node) && !Object.hasOwn(node, path[path.length - 1]!)
  );
}

/** Account ids written without quotes become numbers (and lose leading zeros): say so in the user's own spelling. */
function hinted(message: string, path: readonly PropertyKey[], doc: Document): string {
  const spelled = scalarSource(doc, path);
  if (!/expected string/.test(message) || spelled === undefined || !/^[-+.0-9]/.test(spelled)) return message;
  return `${message}: write it in quotes ("${spelled}"), YAML reads ${spelled} as a number`;
}

function fail(file: string, issues: PolicyIssue[]): never {
  throw policyFailure(file, issues);
}

/**
 * Parses and validates a policy file's text (the caller reads the file: this module does no I/O).
 * Throws PolicyError carrying every problem at once — YAML syntax, schema, then cross-references —
 * each with file, line, column and path. Returns warnings that do not stop the policy from loading.
 */
export function loadPolicy(text: string, file: string): LoadedPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    // Duplicate keys are found by duplicateKeys (linear); the parser's own check is quadratic in a map's size.
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: false,
    // yaml would otherwise print to stderr (process.emitWarning) for odd keys; the schema reports them instead.
    logLevel: 'error',
  });
  const source = yamlSource(file, doc, lines);
  const at = (offset: number | undefined, message: string): PolicyIssue => {
    const { line, col } = lines.linePos(offset ?? 0);
    return { file, line, column: col, path: '', message };
  };
  // Schema errors on a document YAML could not read would only echo the syntax error, so stop here.
  const duplicates = duplicateKeys(doc);
  if (doc.errors.length > 0 || duplicates.length > 0)
    fail(file, [...doc.errors.map((e) => at(e.pos[0], e.message)), ...duplicates.map((d) => at(d.offset, d.message))]);
  const warnings = doc.warnings.map((w) => at(w.pos[0], w.message));

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    fail(file, [at(0, `cannot read the YAML: ${error instanceof Error ? error.message : String(error)}`)]);
  }

  const parsed = PolicySchema.safeParse(raw);
  if (!parsed.success) fail(file, parsed.error.issues.flatMap((i) => flattenIssue(i, [], doc, raw)).map(source.locate));

  const checked = checkPolicySemantics(parsed.data);
  if (checked.errors.length > 0) fail(file, checked.errors.map(source.locate));
  warnings.push(...checked.warnings.map(source.locate), ...denyCoverageIssues(parsed.data).map(source.locate));
  warnings.sort((a, b) => a.line - b.line || a.column - b.column);
  return { policy: parsed.data, warnings, source };
}
