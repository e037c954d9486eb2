import type { Estate, UnreadPartition } from '../../shared/model';
import { withSnapshotGaps } from '../../shared/cli/snapshot-gaps';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import type { Partition } from '../../shared/providers/port';
import { HUB, SPOKE_A, awsRef, estate, network } from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], {});
const spoke = network(awsRef(SPOKE_A, 'vpc-a', 'us-west-2'), ['10.1.0.0/16'], {});
const denied: UnreadPartition = { cloud: 'aws', account: SPOKE_A, region: 'us-west-2', reason: 'AccessDenied' };

describe('withSnapshotGaps', () => {
  it.each<{ reason: string; snapshot: Partial<Estate>; read: Partition[]; complete: boolean; gaps: RegExp[] }>([
    {
      reason: 'a complete snapshot reads complete',
      snapshot: {},
      read: [{ cloud: 'aws', account: SPOKE_A }],
      complete: true,
      gaps: [],
    },
    {
      reason: 'a read of the unread partition inherits it',
      snapshot: { complete: false, gaps: ['x'], unread: [denied] },
      read: [{ cloud: 'aws', account: SPOKE_A }],
      complete: false,
      gaps: [/aws:222222222222:us-west-2: AccessDenied \(per the snapshot\)/],
    },
    {
      reason: 'a read of another account does not',
      snapshot: { complete: false, gaps: ['x'], unread: [denied] },
      read: [{ cloud: 'aws', account: HUB }],
      complete: true,
      gaps: [],
    },
    {
      reason: 'a read of another region of the account does not',
      snapshot: { complete: false, gaps: ['x'], unread: [denied] },
      read: [{ cloud: 'aws', account: SPOKE_A, region: 'us-east-1' }],
      complete: true,
      gaps: [],
    },
    {
      reason: 'account "*" covers every account of its cloud',
      snapshot: { complete: false, gaps: ['x'], unread: [{ cloud: 'aws', account: '*', reason: 'discovery failed' }] },
      read: [{ cloud: 'aws', account: HUB }],
      complete: false,
      gaps: [/discovery failed/],
    },
    {
      reason: 'a gap line that names its partition (no unread list) is placed like an unread entry',
      snapshot: { complete: false, gaps: ['aws:222222222222: throttled'] },
      read: [{ cloud: 'aws', account: SPOKE_A }],
      complete: false,
      gaps: [/aws:222222222222: throttled \(per the snapshot\)/],
    },
    {
      reason: '… and does not mark a read of another account',
      snapshot: { complete: false, gaps: ['aws:222222222222: throttled'] },
      read: [{ cloud: 'aws', account: HUB }],
      complete: true,
      gaps: [],
    },
    {
      reason: 'a gap line that names no partition marks every read: the snapshot does not say where',
      snapshot: { complete: false, gaps: ['discovery failed: organizations:ListAccounts denied'] },
      read: [{ cloud: 'aws', account: HUB }],
      complete: false,
      gaps: [/discovery failed.*\(per the snapshot\)/],
    },
  ])('$reason', async ({ snapshot, read, complete, gaps }) => {
    const base = estate([hub, spoke], [], snapshot);
    const providers = withSnapshotGaps(memoryProviders(new MemoryCloud(base, () => new Date(base.observedAt))), base);
    const observation = await providers.aws!.observe(read);
    expect(observation.complete).toBe(complete);
    expect(observation.gaps).toHaveLength(gaps.length);
    gaps.forEach((g, i) => expect(observation.gaps[i]).toMatch(g));
  });
});
