import type { Account, Cloud, Network, NetworkRef, Observation } from '../model';
import { type PolicyIssue, type PolicySource, unplacedSource } from './issues';
import { accountInContainers, selectsByOrganization } from './organization';
import type { Group, Policy } from './schema';

function list(value: string | readonly string[] | undefined): readonly string[] | undefined {
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

/** Azure subscription ids (GUIDs) and locations are case-insensitive in ARM, and resource ids come back in either case. */
function comparable(cloud: Cloud, value: string): string {
  return cloud === 'azure' ? value.toLowerCase() : value;
}

function inList(cloud: Cloud, wanted: string | readonly string[] | undefined, actual: string): boolean {
  const values = list(wanted);
  return values === undefined || values.some((v) => comparable(cloud, v) === comparable(cloud, actual));
}

/** Every key must be present; a value of "*" matches any value. An empty record matches everything. */
function labelsMatch(wanted: Record<string, string> | undefined, actual: Record<string, string>): boolean {
  if (wanted === undefined) return true;
  return Object.entries(wanted).every(([k, v]) => Object.hasOwn(actual, k) && (v === '*' || actual[k] === v));
}

/** A name pattern matches a name exactly or, with a trailing "*", as a prefix. */
function nameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** What a network is called without observing it: the id, and for Azure also the VNet name (last segment of the resource id). */
function namesOfRef(ref: NetworkRef): string[] {
  if (ref.cloud !== 'azure') return [ref.id];
  const last = ref.id
    .split('/')
    .filter((s) => s !== '')
    .at(-1);
  return last === undefined || last === ref.id ? [ref.id] : [ref.id, last];
}

function namesMatch(group: Group, names: readonly string[]): boolean {
  const patterns = list(group.name);
  return patterns === undefined || patterns.some((p) => names.some((n) => nameMatches(p, n)));
}

function refMatches(group: Group, ref: NetworkRef): boolean {
  return (
    group.cloud === ref.cloud &&
    inList(ref.cloud, group.account, ref.account) &&
    inList(ref.cloud, group.region, ref.region)
  );
}

/**
 * True when an observed network belongs to the group: cloud, account and region lists, tags, the
 * account's labels and place in its organization (`account` must be the network's own account; without it, a
 * group that needs labels or an OU / management group / folder does not match) and name (network name or id, trailing * = prefix). Omitted fields match anything.
 */
export function networkInGroup(group: Group, network: Network, account?: Account): boolean {
  if (!refMatches(group, network.ref)) return false;
  if (!labelsMatch(group.tags, network.tags)) return false;
  const needsLabels = group.accountLabels !== undefined && Object.keys(group.accountLabels).length > 0;
  if (needsLabels || selectsByOrganization(group)) {
    const own =
      account !== undefined &&
      account.cloud === network.ref.cloud &&
      comparable(account.cloud, account.account) === comparable(network.ref.cloud, network.ref.account);
    if (
      !own ||
      (needsLabels && !labelsMatch(group.accountLabels, account.labels)) ||
      !accountInContainers(group, account)
    )
      return false;
  }
  return namesMatch(
    group,
    network.name === undefined ? namesOfRef(network.ref) : [network.name, ...namesOfRef(network.ref)],
  );
}

/**
 * True when a network we cannot observe (a partner's) belongs to the group. Only cloud, account,
 * region and name-by-id can be judged; a group that needs tags or account labels does NOT match,
 * because matching would accept requests from an account the policy never listed.
 */
export function refInGroup(group: Group, ref: NetworkRef): boolean {
  const needsTags = group.tags !== undefined && Object.keys(group.tags).length > 0;
  const needsLabels = group.accountLabels !== undefined && Object.keys(group.accountLabels).length > 0;
  // An OU, management group or folder is a fact about the account that only discovery proves.
  if (needsTags || needsLabels || selectsByOrganization(group)) return false;
  return refMatches(group, ref) && namesMatch(group, namesOfRef(ref));
}

const listedMemo = new WeakMap<Policy, Map<Cloud, ReadonlySet<string>>>();

/**
 * Accounts the policy names explicitly for a cloud: in its groups and in `providers.<cloud>`
 * (aws accounts + hubAccount, azure subscriptions, gcp projects). Azure ids are lowercased.
 * Requests from any other account are never accepted.
 */
export function listedAccounts(policy: Policy, cloud: Cloud): ReadonlySet<string> {
  // A policy is immutable once loaded: the lists are built once per policy and cloud (a plan asks per request).
  const memo = listedMemo.get(policy) ?? new Map<Cloud, ReadonlySet<string>>();
  listedMemo.set(policy, memo);
  const known = memo.get(cloud);
  if (known) return known;
  const out = new Set<string>();
  memo.set(cloud, out);
  const add = (values: readonly string[] | undefined): void => values?.forEach((v) => out.add(comparable(cloud, v)));
  for (const group of Object.values(policy.groups)) if (group.cloud === cloud) add(list(group.account));
  const providers = policy.providers;
  if (cloud === 'aws')
    add([...(providers.aws?.accounts ?? []), ...(providers.aws?.hubAccount ? [providers.aws.hubAccount] : [])]);
  if (cloud === 'azure') add(providers.azure?.subscriptions);
  if (cloud === 'gcp') add(providers.gcp?.projects);
  return out;
}

/** The networks of an observation that belong to a group, using the observation's accounts for labels. */
export function networksInGroup(group: Group, estate: Observation): Network[] {
  const accounts = new Map(estate.accounts.map((a) => [`${a.cloud}:${comparable(a.cloud, a.account)}`, a]));
  return estate.networks.filter((n) =>
    networkInGroup(group, n, accounts.get(`${n.ref.cloud}:${comparable(n.ref.cloud, n.ref.account)}`)),
  );
}

/**
 * Warnings that need an estate: a group that selects no observed network (a typo in a tag, or an
 * account not yet vended). Pass the loader's `source` to get file positions.
 */
export function groupWarnings(
  policy: Policy,
  estate: Observation,
  source: PolicySource = unplacedSource(),
): PolicyIssue[] {
  const note = estate.complete ? '' : ' (the observation was incomplete)';
  return Object.entries(policy.groups)
    .filter(([, group]) => networksInGroup(group, estate).length === 0)
    .map(([name]) =>
      source.locate({
        path: ['groups', name],
        message: `group "${name}" selects none of the ${estate.networks.length} observed networks${note}`,
      }),
    );
}
