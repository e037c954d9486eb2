import type { Cloud, Network, Observation } from '../model';
import { networksInGroup } from './groups';
import { type PathIssue, type PolicyIssue, type PolicySource, unplacedSource } from './issues';
import type { Connection, Group, Policy } from './schema';
import { connectedGroupPairs } from './semantics';

function list(value: string | readonly string[] | undefined): readonly string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

const same = (cloud: Cloud, a: string, b: string): boolean =>
  cloud === 'azure' ? a.toLowerCase() === b.toLowerCase() : a === b;

/** Every value the inner list allows is one the outer list allows (an omitted outer list allows anything). */
function listWithin(
  cloud: Cloud,
  inner: string | readonly string[] | undefined,
  outer: string | readonly string[] | undefined,
): boolean {
  const o = list(outer);
  if (o === undefined) return true;
  const i = list(inner);
  return i !== undefined && i.every((v) => o.some((w) => same(cloud, v, w)));
}

/** Every label set the inner selector accepts, the outer accepts: each outer key is required by the inner with a value it allows. */
function labelsWithin(inner: Record<string, string> | undefined, outer: Record<string, string> | undefined): boolean {
  return Object.entries(outer ?? {}).every(
    ([k, v]) => inner !== undefined && Object.hasOwn(inner, k) && (v === '*' || (inner[k] === v && v !== '*')),
  );
}

/** Every name an inner pattern matches, some outer pattern matches (a trailing * is a prefix). */
function namesWithin(
  inner: string | readonly string[] | undefined,
  outer: string | readonly string[] | undefined,
): boolean {
  const o = list(outer);
  if (o === undefined) return true;
  const i = list(inner);
  return (
    i !== undefined &&
    i.every((p) => o.some((q) => (q.endsWith('*') ? p.startsWith(q.slice(0, -1)) : p === q && !p.endsWith('*'))))
  );
}

/**
 * True when every network the inner group can select, the outer group selects too — decided from the selectors
 * alone (no estate), field by field. Sound, not complete: "false" may still mean the estate's networks all match.
 */
export function groupWithin(inner: Group, outer: Group): boolean {
  return (
    inner.cloud === outer.cloud &&
    listWithin(inner.cloud, inner.account, outer.account) &&
    listWithin(inner.cloud, inner.region, outer.region) &&
    labelsWithin(inner.tags, outer.tags) &&
    labelsWithin(inner.accountLabels, outer.accountLabels) &&
    namesWithin(inner.name, outer.name) &&
    // The same containers only: a nested OU, management group or folder is within its parent, but proving it needs the tree.
    listWithin(inner.cloud, inner.organizationalUnit, outer.organizationalUnit) &&
    listWithin(inner.cloud, inner.managementGroup, outer.managementGroup) &&
    listWithin(inner.cloud, inner.folder, outer.folder) &&
    listWithin(inner.cloud, inner.organization, outer.organization)
  );
}

const samePair = (a: readonly [string, string], b: readonly [string, string]): boolean =>
  (a[0] === b[0] && a[1] === b[1]) || (a[0] === b[1] && a[1] === b[0]);

/** Each (connection, deny rule) whose deny covers both sides of the connection, in either orientation. */
function coveredPairs(
  policy: Policy,
  within: (inner: string, outer: string) => boolean,
): { i: number; j: number; connection: Connection }[] {
  const found: { i: number; j: number; connection: Connection }[] = [];
  policy.connections.forEach((connection, i) => {
    const [x, y] = connectedGroupPairs(connection).pair;
    policy.deny.forEach((deny, j) => {
      if (samePair([x, y], deny.between)) return; // already an error: the connection names the denied pair itself
      const [a, b] = deny.between;
      if ((within(x, a) && within(y, b)) || (within(x, b) && within(y, a))) found.push({ i, j, connection });
    });
  });
  return found;
}

const message = (policy: Policy, i: number, j: number, how: string): string => {
  const c = policy.connections[i]!;
  const [x, y] = connectedGroupPairs(c).pair;
  return `deny[${j}] (${policy.deny[j]!.between.join(' ⇄ ')}) removes every pair of connection "${c.name}" (${x} ⇄ ${y}, connections[${i}]): ${how}; the connection can peer nothing and the plan would remove its links`;
};

function coveredBySelectors(policy: Policy): { i: number; j: number; connection: Connection }[] {
  const groups = policy.groups;
  return coveredPairs(
    policy,
    (inner, outer) =>
      groups[inner] !== undefined && groups[outer] !== undefined && groupWithin(groups[inner], groups[outer]),
  );
}

/** A warning per deny rule that, by its groups' selectors alone, removes every pair a connection asks for. */
export function denyCoverageIssues(policy: Policy): PathIssue[] {
  return coveredBySelectors(policy).map(({ i, j }) => ({
    path: ['deny', j],
    message: message(policy, i, j, "its groups select every network the connection's groups can select"),
  }));
}

/**
 * The same check against an estate (`validate --estate`): a deny rule whose groups hold every observed network
 * of a connection's groups removes every pair the connection has today, even when the selectors differ.
 * Membership is computed once per group, so the cost is groups × networks, like `groupWarnings`.
 */
export function denyCoverageOnEstate(
  policy: Policy,
  estate: Observation,
  source: PolicySource = unplacedSource(),
): PolicyIssue[] {
  const members = new Map<string, Set<Network>>();
  const of = (name: string): Set<Network> => {
    let set = members.get(name);
    if (set === undefined) {
      const group = policy.groups[name];
      set = new Set(group === undefined ? [] : networksInGroup(group, estate));
      members.set(name, set);
    }
    return set;
  };
  const within = (inner: string, outer: string) => [...of(inner)].every((n) => of(outer).has(n));
  const statically = new Set(coveredBySelectors(policy).map(({ i, j }) => `${i}:${j}`));
  return coveredPairs(policy, within)
    .filter(({ connection }) => hasPair(connection, of))
    .filter(({ i, j }) => !statically.has(`${i}:${j}`))
    .map(({ i, j }) =>
      source.locate({
        path: ['deny', j],
        message: message(
          policy,
          i,
          j,
          `every one of the ${estate.networks.length} observed networks it would peer is denied`,
        ),
      }),
    );
}

/** True when the connection has at least one pair of distinct observed networks to peer. */
function hasPair(connection: Connection, of: (name: string) => Set<Network>): boolean {
  const [x, y] = connectedGroupPairs(connection).pair;
  const a = of(x);
  const b = of(y);
  if (a.size === 0 || b.size === 0) return false;
  return a.size > 1 || b.size > 1 || [...a][0] !== [...b][0];
}
