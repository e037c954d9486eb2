import type { Observation } from '../../shared/model';
import { MemoryCloud } from '../../shared/providers/memory';
import { estate } from '../support/estate-builder';
import { observeWithFaults, type ReadFault } from '../support/partial-reads';
import {
  attachment,
  OURS,
  propagated,
  SPOKE_ACCOUNTS,
  spokeNetwork,
  TRANSIT,
  transitHub,
} from '../support/transit-builder';

/*
 * The chaos suites and the monotonicity oracle judge the planner on what these partial reads return: they must be
 * what the adapters return (issue 17), or a finding is the harness's. A hub is listed by its own partition; an
 * attachment by the hub's partition (with its routing) and by its network's (without).
 */
const [a] = SPOKE_ACCOUNTS.aws;
const spoke = spokeNetwork('aws', a, 'pay', ['10.1.0.0/16']);
const full: Observation = estate([spoke], [], {
  transitHubs: [
    {
      ...transitHub('aws', [propagated('10.1.0.0/16', 'tgw-attach-1')]),
      routeTables: [0, 1, 2, 3].map((i) => ({ id: `tgw-rtb-${i}`, tags: {}, routes: [] })),
    },
  ],
  attachments: [
    attachment('tgw-attach-1', spoke, 'active', { association: 'tgw-rtb-0', propagations: ['tgw-rtb-0'], tags: OURS }),
  ],
});
const hub = { cloud: 'aws' as const, account: TRANSIT.aws.account, region: 'us-east-1' };
const spokePartition = { cloud: 'aws' as const, account: a, region: 'us-east-1' };
const governed = [hub, spokePartition];

describe('partial reads of transit hubs and attachments', () => {
  it.each<{ why: string; faults: ReadFault[]; hubTables: number | undefined; seen: 'routed' | 'bare' | 'gone' }>([
    { why: 'every read succeeds: all of it', faults: [], hubTables: 4, seen: 'routed' },
    {
      why: "the hub's partition denies the role: no hub; the spoke's account still lists its attachment, without routing",
      faults: [{ partition: { cloud: 'aws', account: hub.account }, call: 'AssumeRole', kind: 'AccessDenied' }],
      hubTables: undefined,
      seen: 'bare',
    },
    {
      why: "the hub's route tables stop after page 1: the hub with a prefix of its tables",
      faults: [{ partition: hub, call: 'DescribeTransitGateways', kind: 'truncated', keep: 0.5 }],
      hubTables: 2,
      seen: 'routed',
    },
    {
      why: "the spoke's attachment listing fails: the hub's owner still lists it, with routing",
      faults: [{ partition: spokePartition, call: 'DescribeTransitGatewayAttachments', kind: 'throttled' }],
      hubTables: 4,
      seen: 'routed',
    },
    {
      why: 'both listings fail: the attachment is not seen at all',
      faults: [
        { partition: spokePartition, call: 'DescribeTransitGatewayAttachments', kind: 'server-error' },
        { partition: hub, call: 'DescribeTransitGatewayAttachments', kind: 'throttled' },
      ],
      hubTables: 4,
      seen: 'gone',
    },
  ])('$why', ({ faults, hubTables, seen }) => {
    const o = observeWithFaults(full, faults, governed);
    expect(o.transitHubs?.[0]?.routeTables.length).toBe(hubTables);
    const att = o.attachments?.find((x) => x.id === 'tgw-attach-1');
    if (seen === 'gone') expect(att).toBeUndefined();
    else
      expect(att).toMatchObject(
        seen === 'routed' ? { association: 'tgw-rtb-0', propagations: ['tgw-rtb-0'] } : { propagations: [] },
      );
    if (seen === 'bare') expect(att?.association).toBeUndefined();
    // Every fault names its partition as unread: the planner can hold what depends on it.
    expect((o.unread ?? []).length).toBe(faults.length);
  });

  it("mirrors the in-memory cloud's observe: a partition read shows its hubs and the attachments of its hubs or networks", () => {
    const memory = new MemoryCloud({ ...full, accounts: [] });
    expect(memory.observe([spokePartition]).attachments?.map((x) => x.id)).toEqual(['tgw-attach-1']);
    expect(memory.observe([spokePartition]).transitHubs).toBeUndefined();
    expect(memory.observe([hub]).transitHubs?.map((h) => h.ref.id)).toEqual([TRANSIT.aws.id]);
    expect(memory.observe([hub]).attachments?.map((x) => x.id)).toEqual(['tgw-attach-1']);
  });
});
