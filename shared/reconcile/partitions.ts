import type { Account, Cloud, Network, NetworkRef, Observation, Scope } from '../model';
import { CLOUDS, networkKey } from '../model';
import type { Partition } from '../providers/port';
import type { Group, Policy } from '../policy/schema';
import { networkInGroup } from '../policy/groups';
import { governedAccounts, named } from '../policy/governed';

export { governedAccounts };

function regionsOf(policy: Policy, cloud: Cloud): (string | undefined)[] {
  return cloud === 'aws' ? (policy.providers.aws?.regions ?? ['us-east-1']) : [undefined];
}

function partitionsOf(policy: Policy, cloud: Cloud, accounts: readonly string[], region?: string): Partition[] {
  const regions = region && region !== '*' && cloud !== 'gcp' ? [region] : regionsOf(policy, cloud);
  return accounts.flatMap((account) =>
    regions.map((r) => (r === undefined ? { cloud, account } : { cloud, account, region: r })),
  );
}

type Target = { cloud: Cloud; account: string; region?: string };

function scopeTarget(scope: Exclude<Scope, { kind: 'estate' }>): Target {
  switch (scope.kind) {
    case 'account':
      return scope.region
        ? { cloud: scope.cloud, account: scope.account, region: scope.region }
        : { cloud: scope.cloud, account: scope.account };
    case 'network':
      return { cloud: scope.network.cloud, account: scope.network.account, region: scope.network.region };
    case 'peering':
    case 'route-table':
      return { cloud: scope.cloud, account: scope.account, region: scope.region };
  }
}

const sameAccount = (cloud: Cloud, a: string, b: string) =>
  cloud === 'azure' ? a.toLowerCase() === b.toLowerCase() : a === b;

/**
 * What a reconcile observes first: the sweep every governed account; a scope its own account and region only.
 * What else a scope needs follows from what that first read finds (`involvedPartitions`, then the far sides).
 */
export function partitionsFor(scope: Scope, policy: Policy, clouds: readonly Cloud[] = CLOUDS): Partition[] {
  if (scope.kind === 'estate')
    return clouds.flatMap((cloud) => partitionsOf(policy, cloud, governedAccounts(policy, cloud)));
  const t = scopeTarget(scope);
  return clouds.includes(t.cloud) ? partitionsOf(policy, t.cloud, [t.account], t.region) : [];
}

/**
 * Where a group's networks can be: the accounts it names; for an AWS group naming none, the configured hub
 * account when the group is a hub; otherwise anywhere the cloud is governed (tag-, name- or organization-selected).
 */
function accountsOfGroup(
  policy: Policy,
  group: Group | undefined,
  role: 'hub' | 'member',
  governed: readonly string[],
): readonly string[] {
  if (!group) return [];
  const listed = named(group.account);
  if (listed.length > 0) return listed;
  const hubAccount = policy.providers.aws?.hubAccount;
  if (group.cloud === 'aws' && role === 'hub' && hubAccount) return [hubAccount];
  return governed;
}

/** The scope's networks in the first observation (a network scope: that network; an account scope: all of its own). */
function scopeNetworks(scope: Exclude<Scope, { kind: 'estate' }>, first: Observation): Network[] {
  if (scope.kind === 'network') {
    const { cloud, account, id } = scope.network;
    return first.networks.filter(
      (n) =>
        n.ref.cloud === cloud &&
        sameAccount(cloud, n.ref.account, account) &&
        n.ref.id.toLowerCase() === id.toLowerCase(),
    );
  }
  if (scope.kind === 'account')
    return first.networks.filter(
      (n) => n.ref.cloud === scope.cloud && sameAccount(scope.cloud, n.ref.account, scope.account),
    );
  if (scope.kind === 'peering') {
    // Whatever its state: a deleted link is recreated from the peering's own event, which needs what its sides involve.
    const sides = new Set(peeringSides(scope, first).map(networkKey));
    // A half deleted in this account leaves nothing to name its network (Azure, GCP): its account's networks stand in.
    if (sides.size === 0)
      return first.networks.filter(
        (n) => n.ref.cloud === scope.cloud && sameAccount(scope.cloud, n.ref.account, scope.account),
      );
    return first.networks.filter((n) => sides.has(networkKey(n.ref)));
  }
  return [];
}

/** Both sides of the scope's peering as the first observation lists it, in any state. */
function peeringSides(scope: Extract<Scope, { kind: 'peering' }>, first: Observation): NetworkRef[] {
  return first.peerings
    .filter((p) => p.cloud === scope.cloud && p.id === scope.peeringId)
    .flatMap((p) => [p.requester, p.accepter]);
}

/**
 * The partitions a scope's connections involve beyond its own (DESIGN §12), decided from the policy and the first
 * observation, never from account lists alone: for each network of the scope, the hubs of the hub-spoke connections
 * it is a spoke of, the other side of a pair it is in, and every member of a mesh it belongs to (a mesh is
 * O(members) by nature). A hub's own scope reads none of its spokes: their links are far sides (far-sides.ts), and a
 * new spoke is linked by its own event or its account's sweep item. A peering scope reads its peering's sides (in
 * any state) and what they involve; a route-table scope needs only far sides. When the scope's own partition was not read completely, a group that could hold the account counts as held.
 * `governed` lists each cloud's governed accounts (listed and discovered); the result is limited to them.
 */
export function involvedPartitions(
  scope: Scope,
  policy: Policy,
  first: Observation,
  governed: (cloud: Cloud) => readonly string[],
): Partition[] {
  if (scope.kind === 'estate' || scope.kind === 'route-table') return [];
  const t = scopeTarget(scope);
  const networks = scopeNetworks(scope, first);
  const accounts = new Map(first.accounts.map((a) => [`${a.cloud}:${a.account.toLowerCase()}`, a]));
  const accountOf = (n: Network): Account | undefined => accounts.get(`${n.ref.cloud}:${n.ref.account.toLowerCase()}`);
  const unread = (first.unread ?? []).some(
    (u) => u.cloud === t.cloud && (u.account === '*' || sameAccount(t.cloud, u.account, t.account)),
  );
  const couldHold = (group: Group) =>
    group.cloud === t.cloud &&
    (group.account === undefined || named(group.account).some((a) => sameAccount(t.cloud, a, t.account)));
  const memo = new Map<string, boolean>();
  const holds = (name: string): boolean => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    const group = policy.groups[name];
    const found =
      group !== undefined &&
      group.cloud === t.cloud &&
      (networks.some((n) => networkInGroup(group, n, accountOf(n))) || (unread && couldHold(group)));
    memo.set(name, found);
    return found;
  };
  const everywhere = governed(t.cloud);
  const wanted = new Set<string>();
  const add = (name: string, role: 'hub' | 'member') => {
    for (const a of accountsOfGroup(policy, policy.groups[name], role, everywhere)) wanted.add(a);
  };
  const transit: Partition[] = [];
  for (const c of policy.connections) {
    if (c.topology === 'hub-spoke' && c.via === 'transit') {
      if (holds(c.spokes)) transit.push(...transitHubPartitions(policy, c.hub, governed));
    } else if (c.topology === 'hub-spoke') {
      if (holds(c.spokes)) add(c.hub, 'hub');
    } else if (c.topology === 'mesh') {
      if (holds(c.members)) add(c.members, 'member');
    } else {
      if (holds(c.between[0])) add(c.between[1], 'member');
      if (holds(c.between[1])) add(c.between[0], 'member');
    }
  }
  // A peering scope also reads the peering's far side in any state (far-sides.ts reads live links only).
  if (scope.kind === 'peering')
    for (const side of peeringSides(scope, first)) if (side.cloud === t.cloud) wanted.add(side.account);
  const key = (a: string) => (t.cloud === 'azure' ? a.toLowerCase() : a);
  const isGoverned = new Set(everywhere.map(key));
  // A hub owner's scope reads the networks of the attachments it holds (requests included): they are judged here.
  for (const a of first.attachments ?? [])
    if (a.hub.cloud === t.cloud && sameAccount(t.cloud, a.hub.account, t.account)) wanted.add(a.network.account);
  const others = [...wanted].filter((a) => !sameAccount(t.cloud, a, t.account) && isGoverned.has(key(a))).sort();
  const own = (p: Partition) =>
    p.cloud === t.cloud &&
    sameAccount(t.cloud, p.account, t.account) &&
    (!p.region || !t.region || p.region === t.region);
  return [...partitionsOf(policy, t.cloud, others), ...transit.filter((p) => !own(p))];
}

/**
 * What a spoke's scope reads of a transit hub: the hub's own partition (its route tables hold every attached range),
 * and the governed accounts of the groups the hub reaches in other clouds (a spoke may not overlap them).
 */
function transitHubPartitions(
  policy: Policy,
  name: string,
  governed: (cloud: Cloud) => readonly string[],
): Partition[] {
  const hub = policy.transitHubs[name];
  if (!hub) return [];
  const out: Partition[] = [
    hub.cloud === 'gcp'
      ? { cloud: 'gcp', account: hub.account }
      : { cloud: hub.cloud, account: hub.account, region: hub.region },
  ];
  for (const reach of hub.reaches)
    for (const g of reach.groups) {
      const group = policy.groups[g];
      if (group)
        out.push(...partitionsOf(policy, group.cloud, accountsOfGroup(policy, group, 'member', governed(group.cloud))));
    }
  return out;
}
