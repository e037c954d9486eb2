import type { Cloud, Estate, Observation, UnreadPartition } from '../model';
import type { Partition, PeeringProvider } from '../providers/port';

function covers(unread: UnreadPartition, partition: Partition): boolean {
  if (unread.cloud !== partition.cloud) return false;
  if (unread.account !== '*' && unread.account !== partition.account) return false;
  return unread.region === undefined || partition.region === undefined || unread.region === partition.region;
}

const CLOUD_NAMES: readonly string[] = ['aws', 'azure', 'gcp'];

/** A gap line that names its partition (`aws:111111111111:us-east-1: DescribeVpcs failed`, as the adapters write them). */
function partitionOfGap(line: string): UnreadPartition | undefined {
  const split = line.indexOf(': ');
  const [cloud, account, region, ...rest] = split > 0 ? line.slice(0, split).split(':') : [];
  if (!cloud || !CLOUD_NAMES.includes(cloud) || !account || rest.length > 0) return undefined;
  return { cloud: cloud as Cloud, account, ...(region ? { region } : {}), reason: line.slice(split + 2) };
}

/**
 * The snapshot's own gaps that a read of these partitions inherits. Without an `unread` list, gap lines that name
 * their partition are placed as if listed; any other gap line could be anywhere, so every read inherits it.
 */
function inherited(
  estate: Estate,
  cloud: Cloud,
  partitions: readonly Partition[],
): { gaps: string[]; unread: UnreadPartition[] } {
  const placed = estate.unread?.length
    ? estate.unread
    : estate.gaps.map(partitionOfGap).filter((u): u is UnreadPartition => u !== undefined);
  const anywhere = estate.unread?.length ? [] : estate.gaps.filter((g) => partitionOfGap(g) === undefined);
  const unread = placed.filter((u) => u.cloud === cloud && partitions.some((p) => covers(u, p)));
  const gaps = [
    ...unread.map((u) => `${u.cloud}:${u.account}${u.region ? `:${u.region}` : ''}: ${u.reason} (per the snapshot)`),
    ...anywhere.map((g) => `${g} (per the snapshot)`),
  ];
  return { gaps, unread };
}

/**
 * Providers over a snapshot that carry the snapshot's incompleteness into every observation, so `plan` and
 * `apply --estate` hold, report and exit exactly as the live read that wrote the snapshot would have (issue 12:
 * a snapshot with `complete: false` was planned as if complete, and a managed peering was deleted). Only reads of
 * the partitions the snapshot could not read are marked; a gap line that names no partition marks every read.
 */
export function withSnapshotGaps(
  providers: Partial<Record<Cloud, PeeringProvider>>,
  estate: Estate,
): Partial<Record<Cloud, PeeringProvider>> {
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
        return {
          ...observation,
          complete: false,
          gaps: [...observation.gaps, ...missing.gaps],
          unread: [...(observation.unread ?? []), ...missing.unread],
        };
      },
    };
  }
  return wrapped;
}
