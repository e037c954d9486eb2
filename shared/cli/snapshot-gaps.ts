import type { Cloud, Estate, Observation, UnreadPartition } from '../model';
import type { Partition, PeeringProvider } from '../providers/port';

function covers(unread: UnreadPartition, partition: Partition): boolean {
  if (unread.cloud !== partition.cloud) return false;
  if (unread.account !== '*' && unread.account !== partition.account) return false;
  return unread.region === undefined || partition.region === undefined || unread.region === partition.region;
}

/** The snapshot's own gaps that a read of these partitions inherits (all of them when the snapshot does not say where). */
function inherited(estate: Estate, cloud: Cloud, partitions: readonly Partition[]): { gaps: string[]; unread: UnreadPartition[] } {
  if (estate.unread === undefined || estate.unread.length === 0) return { gaps: estate.gaps.map((g) => `${g} (per the snapshot)`), unread: [] };
  const unread = estate.unread.filter((u) => u.cloud === cloud && partitions.some((p) => covers(u, p)));
  const gaps = unread.map((u) => `${u.cloud}:${u.account}${u.region ? `:${u.region}` : ''}: ${u.reason} (per the snapshot)`);
  return { gaps, unread };
}

/**
 * Providers over a snapshot that carry the snapshot's incompleteness into every observation, so `plan` and
 * `apply --estate` hold, report and exit exactly as the live read that wrote the snapshot would have (issue 12:
 * a snapshot with `complete: false` was planned as if complete, and a managed peering was deleted). A snapshot
 * that names its unread partitions marks only reads of those; one with bare gaps lines marks every read.
 */
export function withSnapshotGaps(providers: Partial<Record<Cloud, PeeringProvider>>, estate: Estate): Partial<Record<Cloud, PeeringProvider>> {
  if (estate.complete) return providers;
  const wrapped: Partial<Record<Cloud, PeeringProvider>> = {};
  for (const [cloud, provider] of Object.entries(providers) as [Cloud, PeeringProvider][]) {
    wrapped[cloud] = {
      cloud: provider.cloud,
      apply: (action, context) => provider.apply(action, context),
      ...(provider.partitions ? { partitions: () => provider.partitions!() } : {}),
      observe: async (partitions): Promise<Observation> => {
        const observation = await provider.observe(partitions);
        const missing = inherited(estate, cloud, partitions);
        if (missing.gaps.length === 0) return observation;
        return { ...observation, complete: false, gaps: [...observation.gaps, ...missing.gaps], unread: [...(observation.unread ?? []), ...missing.unread] };
      },
    };
  }
  return wrapped;
}
