import type { NetworkRef, Observation, Peering, UnreadPartition } from '../../shared/model';
import type { Partition } from '../../shared/providers/port';
import type { Prng } from '../chaos/prng';
import { transitWithFaults } from './partial-reads-transit';

/** The list calls an AWS observation makes per (account, region), plus the role assumption before them. */
export type ReadCall =
  | 'AssumeRole'
  | 'DescribeVpcs'
  | 'DescribeRouteTables'
  | 'DescribeVpcPeeringConnections'
  | 'ListAccounts'
  // Transit (issue 17): a hub with its route tables and interconnects; the attachments a partition lists.
  | 'DescribeTransitGateways'
  | 'DescribeTransitGatewayAttachments';
export type ReadFaultKind = 'AccessDenied' | 'throttled' | 'server-error' | 'truncated';

/**
 * One failed or truncated read. `AssumeRole` faults cover the whole account (no region); `ListAccounts`
 * (organization discovery) names account `*` and hides nothing it can prove, so everything is in doubt.
 * `keep` is the share of a truncated list that arrived (page 1).
 */
export interface ReadFault {
  partition: Partition;
  call: ReadCall;
  kind: ReadFaultKind;
  keep?: number;
}

const CODES: Readonly<Record<ReadFaultKind, string>> = {
  AccessDenied: 'AccessDenied',
  throttled: 'RequestLimitExceeded',
  'server-error': 'InternalError',
  truncated: 'page 2 failed (InternalError)',
};

/** The line an adapter writes for a failed read: `DescribeRouteTables failed (RequestLimitExceeded)`. */
export function describeFault(f: ReadFault): string {
  return f.kind === 'truncated' ? `${f.call}: ${CODES[f.kind]}; list truncated` : `${f.call} failed (${CODES[f.kind]})`;
}

const covers = (p: Partition, ref: NetworkRef) =>
  p.cloud === ref.cloud &&
  (p.account === '*' || p.account === ref.account) &&
  (p.region === undefined || p.region === ref.region);

/** Keeps the first `share` of a list: page 1 arrived, page 2 did not. */
function prefix<T>(items: readonly T[], share: number | undefined): Set<T> {
  return new Set(items.slice(0, Math.floor(items.length * (share ?? 0.5))));
}

/**
 * What an AWS observation would return if these reads failed, derived from what every read returns:
 * an account that denies access contributes nothing, and its peerings stay visible only from the other side's
 * partition (EC2 lists a peering in both sides' accounts and regions, its tags only to its creator); a failed DescribeRouteTables leaves its
 * networks with no tables; a truncated page keeps a prefix of its list. Each fault gets an `unread` entry,
 * unless `withoutUnread` (an old snapshot: incomplete, with no idea where). Gaps the full observation already had stay.
 * Networks and peerings are shared with `full`, not copied: planning never changes its input.
 */
export function observeWithFaults(
  full: Observation,
  faults: readonly ReadFault[],
  governed: readonly Partition[],
  withoutUnread = false,
): Observation {
  if (faults.length === 0) return full;
  const at = (ref: NetworkRef, call: ReadCall) =>
    faults.filter((f) => (f.call === call || f.call === 'AssumeRole') && covers(f.partition, ref));
  const inPartition = <T>(items: readonly T[], ref: (t: T) => NetworkRef, f: ReadFault) =>
    items.filter((t) => covers(f.partition, ref(t)));
  const dropped = new Set<unknown>();
  const truncate = <T>(items: readonly T[], ref: (t: T) => NetworkRef, call: ReadCall) => {
    for (const f of faults.filter((x) => x.call === call)) {
      const mine = inPartition(items, ref, f);
      const kept = f.kind === 'truncated' ? prefix(mine, f.keep) : new Set<T>();
      for (const t of mine) if (!kept.has(t)) dropped.add(t);
    }
  };
  truncate(full.networks, (n) => n.ref, 'DescribeVpcs');
  const networks = full.networks
    .filter((n) => !dropped.has(n) && !at(n.ref, 'AssumeRole').some((f) => f.call === 'AssumeRole'))
    .map((n) => {
      const tables = n.routeTables;
      const failed = at(n.ref, 'DescribeRouteTables').filter((f) => f.call === 'DescribeRouteTables');
      if (failed.length === 0) return n;
      const kept = failed.every((f) => f.kind === 'truncated')
        ? prefix(tables, Math.min(...failed.map((f) => f.keep ?? 0.5)))
        : new Set();
      return { ...n, routeTables: tables.filter((t) => kept.has(t)) };
    });
  // A peering is listed by each governed partition it has a side in; it is seen when one of those listings arrived.
  const listedBy = (p: Peering) => [p.requester, p.accepter].filter((ref) => governed.some((g) => covers(g, ref)));
  const listingFaults = (ref: NetworkRef) => at(ref, 'DescribeVpcPeeringConnections');
  const seenFrom = (p: Peering, ref: NetworkRef) =>
    listingFaults(ref).every(
      (f) =>
        f.kind === 'truncated' &&
        f.call !== 'AssumeRole' &&
        prefix(
          full.peerings.filter((q) => listedBy(q).some((r) => covers(f.partition, r))),
          f.keep,
        ).has(p),
    );
  // EC2 shows a peering's tags only to the account that set them: a request seen from its accepter alone comes
  // untagged (peerkeeper tags the accepter's view when it accepts, so live links keep theirs).
  const fromAccepterOnly = (p: Peering) =>
    p.state === 'requested' && listedBy(p).some((r) => r === p.requester) && !seenFrom(p, p.requester);
  const peerings = full.peerings
    .filter((p) => listedBy(p).some((ref) => seenFrom(p, ref)))
    .map((p) => (fromAccepterOnly(p) ? { ...p, tags: {} } : p));
  const denied = new Set(faults.filter((f) => f.call === 'AssumeRole').map((f) => f.partition.account));
  const unread: UnreadPartition[] = faults.map((f) => ({
    cloud: f.partition.cloud,
    account: f.partition.account,
    ...(f.partition.region && f.call !== 'AssumeRole' ? { region: f.partition.region } : {}),
    reason: describeFault(f),
  }));
  const gaps = [
    ...full.gaps,
    ...unread.map(
      (u) => `${u.cloud}:${u.account}${u.region ? `:${u.region}` : ''}: ${u.reason}; observation incomplete`,
    ),
  ];
  return {
    complete: false,
    gaps,
    ...(withoutUnread ? {} : { unread: [...(full.unread ?? []), ...unread] }),
    accounts: full.accounts.filter((a) => !denied.has(a.account)),
    networks,
    peerings,
    ...transitWithFaults(full, faults, governed),
  };
}

/**
 * Random failed and truncated reads over a world's governed partitions: the denying accounts almost always
 * (that is what they do), plus one to three other faults on any call, and rarely a failed account discovery.
 */
export function randomFaults(
  rng: Prng,
  governed: readonly Partition[],
  denying: readonly string[],
  hubs: readonly Partition[] = [],
): ReadFault[] {
  const faults: ReadFault[] = [];
  for (const account of denying)
    if (rng.chance(0.85))
      faults.push({ partition: { cloud: 'aws', account }, call: 'AssumeRole', kind: 'AccessDenied' });
  const calls: ReadCall[] = [
    'AssumeRole',
    'DescribeVpcs',
    'DescribeRouteTables',
    'DescribeRouteTables',
    'DescribeVpcPeeringConnections',
    'DescribeTransitGatewayAttachments',
  ];
  for (let i = 0, n = rng.int(faults.length === 0 ? 1 : 0, 3); i < n; i++) {
    const partition = rng.pick(governed);
    const call = rng.pick(calls);
    const kind: ReadFaultKind =
      call === 'AssumeRole' ? 'AccessDenied' : rng.pick(['throttled', 'server-error', 'truncated', 'truncated']);
    faults.push({
      partition: call === 'AssumeRole' ? { cloud: partition.cloud, account: partition.account } : partition,
      call,
      kind,
      ...(kind === 'truncated' ? { keep: rng.next() } : {}),
    });
  }
  if (rng.chance(0.04))
    faults.push({ partition: { cloud: 'aws', account: '*' }, call: 'ListAccounts', kind: 'throttled' });
  // Transit hubs (issue 17): a third of the views miss a hub's partition, or part of what it lists.
  if (hubs.length > 0 && rng.chance(0.35)) {
    const call = rng.pick(['AssumeRole', 'DescribeTransitGateways', 'DescribeTransitGatewayAttachments'] as const);
    const p = rng.pick(hubs);
    const kind: ReadFaultKind = call === 'AssumeRole' ? 'AccessDenied' : rng.pick(['throttled', 'truncated'] as const);
    faults.push({
      partition: call === 'AssumeRole' ? { cloud: p.cloud, account: p.account } : p,
      call,
      kind,
      ...(kind === 'truncated' ? { keep: rng.next() } : {}),
    });
  }
  return faults;
}
