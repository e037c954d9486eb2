import type { Account, Cloud, Network, NetworkRef, Observation, Peering, RouteTable } from '../model';
import { MANAGED_TAG, networkKey } from '../model';
import type { Group, Policy } from '../policy/schema';
import { networkInGroup, refInGroup } from '../policy/groups';

/** Unordered key of a network pair: the same for a→b and b→a. */
export function pairKey(a: NetworkRef, b: NetworkRef): string {
  const ka = networkKey(a);
  const kb = networkKey(b);
  return ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
}

const tableKeys = new WeakMap<RouteTable, string>();

/**
 * `network#table`, the key of a route table in a plan's per-table maps: built once per table object (a 100k-network
 * estate has 500k tables, each looked up by several passes).
 */
export function tableKey(network: NetworkRef, table: RouteTable): string {
  let key = tableKeys.get(table);
  if (key === undefined) {
    key = `${networkKey(network)}#${table.id}`;
    tableKeys.set(table, key);
  }
  return key;
}

const peeringPairKeys = new WeakMap<Peering, string>();

/** `pairKey` of a peering's two sides, built once per peering object. */
export function peeringPairKey(p: Peering): string {
  let key = peeringPairKeys.get(p);
  if (key === undefined) {
    key = pairKey(p.requester, p.accepter);
    peeringPairKeys.set(p, key);
  }
  return key;
}

/** Lookups the planner needs, built once per plan in O(networks × groups + peerings). */
export interface EstateIndex {
  readonly policy: Policy;
  readonly observation: Observation;
  readonly networks: ReadonlyMap<string, Network>;
  readonly accounts: ReadonlyMap<string, Account>;
  /** Group name → the observed networks it selects, in estate order. */
  readonly members: ReadonlyMap<string, readonly Network[]>;
  /** Network key → the group names selecting it. */
  readonly groupsOf: ReadonlyMap<string, ReadonlySet<string>>;
  /** Pair key → every observed peering between the two networks. */
  readonly peeringsByPair: ReadonlyMap<string, readonly Peering[]>;
  /** Network key → live (requested or active) peerings touching it. */
  readonly livePeeringsOf: ReadonlyMap<string, readonly Peering[]>;
  /** Ids of peerings peerkeeper created (tagged `peerkeeper:managed`). */
  readonly managedPeeringIds: ReadonlySet<string>;
  /** Ids of observed peerings that are requested or active: a route to any other peering is stale. */
  readonly livePeeringIds: ReadonlySet<string>;
  /** Groups of refs this observation cannot see, as far as the ref proves them (filled on demand). */
  readonly unseenGroups: Map<string, ReadonlySet<string>>;
  /**
   * Per observed peering, by its position in `observation.peerings`: which sides this observation sees
   * (`REQUESTER_SEEN | ACCEPTER_SEEN`). Looked up once here: the passes over every peering ask it again and again.
   */
  readonly peeringSides: Uint8Array;
  /**
   * Network key → a small integer, one per observed network (first occurrence, estate order): pairs of observed
   * networks are numbers (`pairId`), not 100-character key strings, on the planner's per-pair maps.
   */
  readonly networkIds: ReadonlyMap<string, number>;
  /** Per observed peering, by position: the `pairId` of its two sides, or -1 when a side is not observed. */
  readonly peeringPairIds: Float64Array;
  /** `pairId` → every observed peering between the two observed networks, in estate order. */
  readonly peeringsByPairId: ReadonlyMap<number, readonly Peering[]>;
}

/** The number of a pair of observed networks by their `networkIds`: the same for a→b and b→a. */
export function pairId(index: EstateIndex, a: number, b: number): number {
  return a < b ? a * index.networkIds.size + b : b * index.networkIds.size + a;
}

/** `peeringSides` bit: the requester is an observed network. */
export const REQUESTER_SEEN = 1;
/** `peeringSides` bit: the accepter is an observed network. */
export const ACCEPTER_SEEN = 2;
/** `peeringSides`: both sides observed. */
export const BOTH_SEEN = REQUESTER_SEEN | ACCEPTER_SEEN;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const accountKey = (cloud: Cloud, account: string) => `${cloud}:${cloud === 'azure' ? account.toLowerCase() : account}`;

/** What a network can be selected by name as: its name, its id and, for Azure, the VNet name (the id's last segment). */
function namesOf(n: Network): string[] {
  const names = n.name === undefined ? [n.ref.id] : [n.name, n.ref.id];
  if (n.ref.cloud === 'azure') {
    const last = n.ref.id
      .split('/')
      .filter((x) => x !== '')
      .at(-1);
    if (last !== undefined && last !== n.ref.id) names.push(last);
  }
  return names;
}

/** First index in `sorted` whose name is ≥ `name` (binary search). */
function lowerBound(sorted: readonly { name: string }[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.name < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The networks a group could select, narrowed by its most selective field (accounts, then the rarest tag value or
 * its name patterns), so that membership costs O(networks + candidates) rather than O(networks × groups): names are
 * sorted once per cloud and a pattern (`app-7-*`, or an exact name) is a binary search, not a scan. Order follows
 * the estate. `networkInGroup` still judges every candidate.
 */
function candidateIndex(all: readonly Network[]): (group: Group) => readonly Network[] {
  const byAccount = new Map<string, Network[]>();
  const byTag = new Map<string, Network[]>();
  const byCloud = new Map<string, Network[]>();
  const byName = new Map<string, { name: string; network: Network }[]>();
  const order = new Map<Network, number>();
  all.forEach((n, i) => {
    order.set(n, i);
    push(byAccount, accountKey(n.ref.cloud, n.ref.account), n);
    push(byCloud, n.ref.cloud, n);
    for (const k in n.tags) push(byTag, `${n.ref.cloud}\u0000${k}\u0000${n.tags[k]}`, n);
    for (const name of namesOf(n)) push(byName, n.ref.cloud, { name, network: n });
  });
  for (const list of byName.values())
    list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : order.get(a.network)! - order.get(b.network)!));
  const inEstateOrder = (list: readonly Network[]) =>
    list.length > 1 ? [...new Set(list)].sort((a, b) => order.get(a)! - order.get(b)!) : list;
  const named = (cloud: string, patterns: readonly string[]): Network[] => {
    const sorted = byName.get(cloud) ?? [];
    const out: Network[] = [];
    for (const pattern of patterns) {
      const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : undefined;
      for (let i = lowerBound(sorted, prefix ?? pattern); i < sorted.length; i++) {
        const entry = sorted[i]!;
        if (prefix === undefined ? entry.name !== pattern : !entry.name.startsWith(prefix)) break;
        out.push(entry.network);
      }
    }
    return out;
  };
  return (group) => {
    if (group.account !== undefined) {
      return inEstateOrder(
        (Array.isArray(group.account) ? group.account : [group.account]).flatMap(
          (a) => byAccount.get(accountKey(group.cloud, a)) ?? [],
        ),
      );
    }
    // The rarest tag value narrows most.
    let best: readonly Network[] = byCloud.get(group.cloud) ?? [];
    for (const [k, v] of Object.entries(group.tags ?? {})) {
      if (v === '*') continue;
      const list = byTag.get(`${group.cloud}\u0000${k}\u0000${v}`) ?? [];
      if (list.length < best.length) best = list;
    }
    if (group.name !== undefined) {
      const byNames = named(group.cloud, Array.isArray(group.name) ? group.name : [group.name]);
      if (byNames.length < best.length) best = inEstateOrder(byNames);
    }
    return best;
  };
}

/** Indexes an observation for planning. */
export function indexEstate(policy: Policy, observation: Observation): EstateIndex {
  const networks = new Map<string, Network>();
  const accounts = new Map<string, Account>();
  const members = new Map<string, Network[]>();
  const groupsOf = new Map<string, Set<string>>();
  const networkIds = new Map<string, number>();
  for (const a of observation.accounts) accounts.set(`${a.cloud}:${a.account}`, a);
  const groups = Object.entries(policy.groups);
  for (const name of Object.keys(policy.groups)) members.set(name, []);
  for (const n of observation.networks) {
    const key = networkKey(n.ref);
    networks.set(key, n);
    groupsOf.set(key, new Set());
    if (!networkIds.has(key)) networkIds.set(key, networkIds.size);
  }
  const candidates = candidateIndex(observation.networks);
  for (const [name, group] of groups) {
    for (const n of candidates(group)) {
      if (!networkInGroup(group, n, accounts.get(`${n.ref.cloud}:${n.ref.account}`))) continue;
      members.get(name)?.push(n);
      groupsOf.get(networkKey(n.ref))?.add(name);
    }
  }
  const managedPeeringIds = new Set<string>();
  const livePeeringIds = new Set<string>();
  const peeringSides = new Uint8Array(observation.peerings.length);
  const peeringPairIds = new Float64Array(observation.peerings.length);
  const peeringsByPairId = new Map<number, Peering[]>();
  const ids = networkIds.size;
  observation.peerings.forEach((p, i) => {
    const requester = networkKey(p.requester);
    const accepter = networkKey(p.accepter);
    const req = networkIds.get(requester);
    const acc = networkIds.get(accepter);
    peeringSides[i] = (req !== undefined ? REQUESTER_SEEN : 0) | (acc !== undefined ? ACCEPTER_SEEN : 0);
    const pair = req === undefined || acc === undefined ? -1 : req < acc ? req * ids + acc : acc * ids + req;
    peeringPairIds[i] = pair;
    if (pair >= 0) push(peeringsByPairId, pair, p);
    if (p.tags[MANAGED_TAG] === 'true') managedPeeringIds.add(p.id);
    if (p.state === 'active' || p.state === 'requested') livePeeringIds.add(p.id);
  });
  // The per-key maps a converged full plan never asks for (they serve refusals, holds, scopes and reports) are built
  // on first use: at 100k networks they were 150k pair-key strings hashed into a map on every plan.
  let peeringsByPair: Map<string, Peering[]> | undefined;
  let livePeeringsOf: Map<string, Peering[]> | undefined;
  return {
    policy,
    observation,
    networks,
    accounts,
    members,
    groupsOf,
    get peeringsByPair() {
      if (!peeringsByPair) {
        peeringsByPair = new Map();
        for (const p of observation.peerings) push(peeringsByPair, peeringPairKey(p), p);
      }
      return peeringsByPair;
    },
    get livePeeringsOf() {
      if (!livePeeringsOf) {
        livePeeringsOf = new Map();
        for (const p of observation.peerings) {
          if (p.state !== 'active' && p.state !== 'requested') continue;
          push(livePeeringsOf, networkKey(p.requester), p);
          push(livePeeringsOf, networkKey(p.accepter), p);
        }
      }
      return livePeeringsOf;
    },
    managedPeeringIds,
    livePeeringIds,
    unseenGroups: new Map(),
    peeringSides,
    networkIds,
    peeringPairIds,
    peeringsByPairId,
  };
}

/** The groups a network belongs to; for a network we cannot observe, only what its ref can prove. */
export function groupsOfRef(index: EstateIndex, ref: NetworkRef): ReadonlySet<string> {
  const key = networkKey(ref);
  const seen = index.groupsOf.get(key) ?? index.unseenGroups.get(key);
  if (seen) return seen;
  const found = new Set<string>();
  const byRef = refCandidates(index.policy);
  const candidates = new Set([
    ...(byRef.byKey.get(accountKey(ref.cloud, ref.account)) ?? []),
    ...(byRef.byKey.get(ref.cloud) ?? []),
  ]);
  // Groups that select by name only: those whose pattern names the ref (exactly, or a prefix of one of its names).
  for (const name of ref.cloud === 'azure'
    ? [
        ref.id,
        ref.id
          .split('/')
          .filter((x) => x !== '')
          .at(-1) ?? '',
      ]
    : [ref.id]) {
    for (const c of byRef.byKey.get(`${ref.cloud}\u0000=${name}`) ?? []) candidates.add(c);
    for (const length of byRef.prefixLengths.get(ref.cloud) ?? [])
      if (length <= name.length)
        for (const c of byRef.byKey.get(`${ref.cloud}\u0000*${name.slice(0, length)}`) ?? []) candidates.add(c);
  }
  for (const { name, group } of [...candidates].sort((a, b) => a.order - b.order))
    if (refInGroup(group, ref)) found.add(name);
  index.unseenGroups.set(key, found);
  return found;
}

type RefCandidate = { name: string; group: Group; order: number };
interface RefCandidates {
  byKey: Map<string, RefCandidate[]>;
  /** Per cloud, the lengths of the name prefixes (`app-7-*` → 6) groups select by. */
  prefixLengths: Map<string, number[]>;
}
const refCandidateMemo = new WeakMap<Policy, RefCandidates>();

/**
 * The groups a ref alone could prove membership of, by `cloud:account` (groups that list accounts), by name
 * (`cloud\0=name` exact, `cloud\0*prefix` for a trailing `*`: groups that select by name only) and by cloud (the
 * others), in policy order. A group that needs tags can never match a ref: it is left out. A partial view (a hub's
 * scope) meets thousands of unseen refs through its links; each asked every group was O(refs × groups) — and so
 * was each asked every name-selected group of its cloud (a 1M-network estate has ~5k of them).
 */
function refCandidates(policy: Policy): RefCandidates {
  let memo = refCandidateMemo.get(policy);
  if (memo) return memo;
  const byKey = new Map<string, RefCandidate[]>();
  const lengths = new Map<string, Set<number>>();
  Object.entries(policy.groups).forEach(([name, group], order) => {
    if (group.tags !== undefined && Object.keys(group.tags).length > 0) return;
    const names = group.name === undefined ? undefined : Array.isArray(group.name) ? group.name : [group.name];
    const keys =
      group.account !== undefined
        ? (Array.isArray(group.account) ? group.account : [group.account]).map((a) => accountKey(group.cloud, a))
        : names !== undefined && names.length > 0
          ? names.map((pattern) => {
              if (!pattern.endsWith('*')) return `${group.cloud}\u0000=${pattern}`;
              const prefix = pattern.slice(0, -1);
              const known = lengths.get(group.cloud) ?? new Set<number>();
              lengths.set(group.cloud, known.add(prefix.length));
              return `${group.cloud}\u0000*${prefix}`;
            })
          : [group.cloud];
    for (const key of new Set(keys)) push(byKey, key, { name, group, order });
  });
  memo = { byKey, prefixLengths: new Map([...lengths].map(([cloud, set]) => [cloud, [...set]])) };
  refCandidateMemo.set(policy, memo);
  return memo;
}

/** The observed network behind a ref, if any. */
export function observedNetwork(index: EstateIndex, ref: NetworkRef): Network | undefined {
  return index.networks.get(networkKey(ref));
}

/** The route tables of a network that a connection's selector manages. */
export function selectTables(
  network: Network,
  selector: Policy['connections'][number]['routes']['tables'],
): RouteTable[] {
  if (selector === 'none') return [];
  if (selector === 'all') return network.routeTables;
  if (selector === 'main') return network.routeTables.filter((t) => t.main === true);
  return network.routeTables.filter((t) =>
    Object.entries(selector.tags).every(([k, v]) => (v === '*' ? k in t.tags : t.tags[k] === v)),
  );
}

/** Human name of a network for reasons: `aws 111111111111/us-east-1 vpc-0abc (hub)`. */
export function describeNetwork(index: EstateIndex, ref: NetworkRef): string {
  return describeObserved(ref, observedNetwork(index, ref));
}

/** `describeNetwork` when the observed network behind the ref (or its absence) is already known. */
export function describeObserved(ref: NetworkRef, n: Network | undefined): string {
  const id = ref.cloud === 'azure' ? (ref.id.split('/').pop() ?? ref.id) : ref.id;
  return `${ref.account}/${ref.region}/${id}${n?.name ? ` (${n.name})` : ''}`;
}

/** Clouds whose routes peerkeeper writes: AWS always; Azure only through a configured appliance; GCP exchanges routes itself. */
export function routesAreWritten(cloud: Cloud, azureNextHop: string | undefined): boolean {
  return cloud === 'aws' || (cloud === 'azure' && azureNextHop !== undefined);
}
