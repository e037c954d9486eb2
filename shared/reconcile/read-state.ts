import type { Cloud, Observation, PartitionStatus } from '../model';
import type { Partition, PeeringProvider } from '../providers/port';

// What one reconcile reads, round by round: partition keys, remembered failures, completeness per partition.

type Providers = Partial<Record<Cloud, PeeringProvider>>;

/** `cloud:account:region` (`*` for every region): one partition. */
export const partitionKey = (p: Partition) => `${p.cloud}:${p.account}:${p.region ?? '*'}`;
/** `cloud:account`, Azure subscription ids lowercased (ARM returns either case). */
export const accountKey = (cloud: Cloud, account: string) =>
  `${cloud}:${cloud === 'azure' ? account.toLowerCase() : account}`;

/**
 * Partitions a provider could not read, remembered per provider object (a warm function container, a CLI run) until
 * a read of them succeeds. A scope reads them again with its own partition: the failure comes back as an unread
 * partition, so the planner holds what depends on it exactly as a sweep does (DESIGN §11). The cost grows with
 * the broken accounts, not with the organization: without this, a scope that never asks an account that denies us
 * would act on links a sweep holds because of that account.
 */
const unreadable = new WeakMap<PeeringProvider, Map<string, Partition>>();

/** Remembers which partitions of this read failed, and forgets those that were read again. */
export function rememberUnread(providers: Providers, read: readonly Partition[], observation: Observation): void {
  const failed = observation.unread ?? [];
  for (const p of read) {
    const provider = providers[p.cloud];
    if (!provider) continue;
    const memo = unreadable.get(provider) ?? new Map<string, Partition>();
    unreadable.set(provider, memo);
    const unread = failed.some(
      (u) =>
        u.cloud === p.cloud &&
        accountKey(u.cloud, u.account) === accountKey(p.cloud, p.account) &&
        (u.region === undefined || p.region === undefined || u.region === p.region),
    );
    if (unread) memo.set(partitionKey(p), p);
    else memo.delete(partitionKey(p));
  }
}

/** A scope's partitions plus the governed ones its providers failed to read before (read again, never skipped). */
export function withRememberedUnread(
  own: readonly Partition[],
  providers: Providers,
  governed: ReadonlySet<string>,
): Partition[] {
  const out = new Map(own.map((p) => [partitionKey(p), p]));
  for (const cloud of new Set(own.map((p) => p.cloud))) {
    const provider = providers[cloud];
    for (const p of (provider ? unreadable.get(provider)?.values() : undefined) ?? []) {
      if (governed.has(accountKey(p.cloud, p.account)) && !out.has(partitionKey(p))) out.set(partitionKey(p), p);
    }
  }
  return [...out.values()];
}

/** An observation without what it read of some clouds (they are read again, whole, in the next round). */
export function withoutClouds(observation: Observation, clouds: ReadonlySet<Cloud>): Observation {
  if (clouds.size === 0) return observation;
  const gaps = observation.gaps.filter((g) => ![...clouds].some((c) => g.startsWith(`${c}:`)));
  const unread = (observation.unread ?? []).filter((u) => !clouds.has(u.cloud));
  return {
    complete: observation.complete || (gaps.length === 0 && unread.length === 0),
    gaps,
    unread,
    accounts: observation.accounts.filter((a) => !clouds.has(a.cloud)),
    networks: observation.networks.filter((n) => !clouds.has(n.ref.cloud)),
    peerings: observation.peerings.filter((p) => !clouds.has(p.cloud)),
  };
}

/** Every partition this reconcile read, complete unless the plan lists it unread (per-partition completeness). */
export function partitionStatuses(read: readonly Partition[], unread: readonly PartitionStatus[]): PartitionStatus[] {
  const incomplete = (p: Partition) =>
    unread.some(
      (u) =>
        u.cloud === p.cloud &&
        (u.account === '*' || accountKey(u.cloud, u.account) === accountKey(p.cloud, p.account)) &&
        (u.region === undefined || p.region === undefined || u.region === p.region),
    );
  const seen = new Set<string>();
  const complete: PartitionStatus[] = [];
  for (const p of read) {
    const key = partitionKey(p);
    if (seen.has(key) || incomplete(p)) continue;
    seen.add(key);
    complete.push({
      cloud: p.cloud,
      account: p.account,
      ...(p.region ? { region: p.region } : {}),
      complete: true,
      reasons: [],
    });
  }
  return [...complete, ...unread];
}
