import type { Cloud, NetworkRef, Observation, PartitionStatus, UnreadPartition } from '../model';
import { CLOUDS } from '../model';
import { named } from '../policy/governed';
import type { Group } from '../policy/schema';

/** Where a network lives, at the grain observation succeeds or fails: cloud, account, region. */
export type PartitionRef = Pick<NetworkRef, 'cloud' | 'account' | 'region'>;

const comparable = (cloud: Cloud, value: string) => (cloud === 'azure' ? value.toLowerCase() : value);

/** `aws:111111111111:us-east-1`, `azure:<sub>` (every location), `gcp:*` (every project). */
export function unreadKey(u: UnreadPartition): string {
  return `${u.cloud}:${comparable(u.cloud, u.account)}${u.region ? `:${u.region}` : ''}`;
}

/**
 * What the observation behind a plan did not read (DESIGN §11): the planner asks it which unread partitions a
 * decision depends on. Pure: built from the observation alone.
 */
export interface Knowledge {
  /** True when every partition was read completely: nothing is held. */
  readonly complete: boolean;
  /** The unread partitions covering a network's own partition (empty when it was read). */
  unreadAt(ref: PartitionRef): readonly UnreadPartition[];
  /** The unread partitions that could hold a member of the group (judged by cloud, account and region alone). */
  unreadInGroup(group: Group | undefined): readonly UnreadPartition[];
  /** Per-partition completeness of the unread ones, for the plan. */
  statuses(): PartitionStatus[];
}

function covers(u: UnreadPartition, ref: PartitionRef): boolean {
  if (u.cloud !== ref.cloud) return false;
  if (u.account !== '*' && comparable(u.cloud, u.account) !== comparable(ref.cloud, ref.account)) return false;
  return (
    u.region === undefined || ref.region === '*' || comparable(u.cloud, u.region) === comparable(ref.cloud, ref.region)
  );
}

function mayHoldMembers(u: UnreadPartition, group: Group): boolean {
  if (u.cloud !== group.cloud) return false;
  const accounts = named(group.account).map((a) => comparable(u.cloud, a));
  if (u.account !== '*' && accounts.length > 0 && !accounts.includes(comparable(u.cloud, u.account))) return false;
  const regions = named(group.region).map((r) => comparable(u.cloud, r));
  return u.region === undefined || regions.length === 0 || regions.includes(comparable(u.cloud, u.region));
}

/**
 * The unread partitions of an observation. An incomplete observation that does not say where (an old snapshot,
 * a hand-edited one) is taken as knowing nothing for certain: every account of every cloud counts as unread.
 */
export function knowledgeOf(observation: Observation): Knowledge {
  const listed = observation.unread ?? [];
  const reason = observation.gaps.join('; ') || 'observation incomplete';
  const unread: readonly UnreadPartition[] =
    listed.length > 0 || observation.complete ? listed : CLOUDS.map((cloud) => ({ cloud, account: '*', reason }));
  const byGroup = new Map<Group, readonly UnreadPartition[]>();
  // By account (`*` under its cloud): a plan asks for every side of every action.
  const byAccount = new Map<string, UnreadPartition[]>();
  for (const u of unread) {
    const key = `${u.cloud}:${comparable(u.cloud, u.account)}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), u]);
  }
  const none: readonly UnreadPartition[] = [];
  return {
    complete: unread.length === 0,
    unreadAt: (ref) => {
      if (unread.length === 0) return none;
      const exact = byAccount.get(`${ref.cloud}:${comparable(ref.cloud, ref.account)}`) ?? none;
      const any = byAccount.get(`${ref.cloud}:*`) ?? none;
      return [...exact, ...any].filter((u) => covers(u, ref));
    },
    unreadInGroup: (group) => {
      if (!group || unread.length === 0) return [];
      let hit = byGroup.get(group);
      if (!hit) byGroup.set(group, (hit = unread.filter((u) => mayHoldMembers(u, group))));
      return hit;
    },
    statuses: () => {
      const byKey = new Map<string, PartitionStatus>();
      for (const u of unread) {
        const key = unreadKey(u);
        const status = byKey.get(key) ?? {
          cloud: u.cloud,
          account: u.account,
          ...(u.region ? { region: u.region } : {}),
          complete: false,
          reasons: [],
        };
        if (!status.reasons.includes(u.reason)) status.reasons.push(u.reason);
        byKey.set(key, status);
      }
      return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
    },
  };
}
