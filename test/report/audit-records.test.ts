import type { Action } from '../../shared/model';
import { MemoryCloud, memoryProviders } from '../../shared/providers/memory';
import { reconcileScope } from '../../shared/reconcile';
import { actionAuditFields, driftKind, observationAuditEntries } from '../../shared/report';
import { MemoryAuditLog } from '../../shared/stores/memory';
import {
  HUB,
  NOW,
  SPOKE_A,
  awsRef,
  estate,
  hubSpokePolicy,
  network,
  peering,
  peeringRoute,
} from '../support/estate-builder';

const hubRef = awsRef(HUB, 'vpc-hub');
const route = { network: hubRef, routeTableId: 'rtb-1', destination: '10.1.0.0/16' };
const handle = { requester: awsRef(SPOKE_A, 'vpc-a'), accepter: hubRef };

describe('driftKind', () => {
  const cases: { reason: string; action: Action; want: string | undefined }[] = [
    {
      reason: 'a replace always reverts a route pointing elsewhere',
      action: {
        action: 'replace-route',
        cloud: 'aws',
        reason: 'x',
        target: route,
        before: peeringRoute('10.1.0.0/16', 'pcx-x'),
        after: { kind: 'other', id: 'igw-1' },
      },
      want: 'route-drift',
    },
    {
      reason: 'an option change is peering drift',
      action: { action: 'update-peering', cloud: 'aws', reason: 'x', target: handle, before: {}, after: {} },
      want: 'peering-drift',
    },
    {
      reason: 'recreating a deleted managed peering is peering drift',
      action: {
        action: 'create-peering',
        cloud: 'aws',
        reason: 'x',
        target: handle,
        after: { options: {}, tags: {} },
        replaces: 'pcx-old',
      },
      want: 'peering-drift',
    },
    {
      reason: 'a first create is not drift',
      action: { action: 'create-peering', cloud: 'aws', reason: 'x', target: handle, after: { options: {}, tags: {} } },
      want: undefined,
    },
    {
      reason: 'an unmanaged peering report is counted by its wording',
      action: {
        action: 'report',
        cloud: 'aws',
        severity: 'info',
        reason: 'unmanaged peering a ⇄ b is not in the policy; left alone',
        target: { subject: 'pcx-1' },
      },
      want: 'unmanaged-peering',
    },
    {
      reason: 'other reports are not findings the report counts',
      action: {
        action: 'report',
        cloud: 'aws',
        severity: 'info',
        reason: 'awaiting a human decision in chat',
        target: { subject: 'pcx-1' },
      },
      want: undefined,
    },
  ];
  it.each(cases)('$reason', ({ action, want }) => {
    expect(driftKind(action)).toBe(want);
  });
});

describe('actionAuditFields', () => {
  const revert: Action = {
    action: 'replace-route',
    cloud: 'aws',
    reason: 'x',
    connection: 'spokes-to-hub',
    target: route,
    before: peeringRoute('10.1.0.0/16', 'pcx-x'),
    after: { kind: 'other', id: 'igw-1' },
  };
  const observedAt = new Date('2026-11-20T12:00:00.000Z');
  const cases: { reason: string; at?: string; want: string }[] = [
    {
      reason: 'the event time is when the drift began',
      at: '2026-11-20T11:59:30.000Z',
      want: '2026-11-20T11:59:30.000Z',
    },
    {
      reason: 'without an event time (a sweep), drift is known from the observation on',
      want: '2026-11-20T12:00:00.000Z',
    },
    {
      reason: 'an event time after the observation (clock skew) is not trusted',
      at: '2026-11-20T12:05:00.000Z',
      want: '2026-11-20T12:00:00.000Z',
    },
    { reason: 'an unparsable event time is not trusted', at: 'yesterday', want: '2026-11-20T12:00:00.000Z' },
  ];
  it.each(cases)('$reason', ({ at, want }) => {
    const trigger = {
      scope: { kind: 'estate' as const },
      kind: 'route' as const,
      eventId: 'e1',
      ...(at ? { at } : {}),
    };
    expect(actionAuditFields(revert, trigger, observedAt)).toEqual({
      cloud: 'aws',
      connection: 'spokes-to-hub',
      kind: 'route-drift',
      detectedAt: want,
    });
  });
});

describe('the reconcile records what the report needs', () => {
  it('a sweep tallies the estate: a link only planned is pending, one accepted in the run or active is converged', async () => {
    const hub = network(hubRef, ['10.0.0.0/16'], { role: 'hub' });
    const spoke = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
    const memory = new MemoryCloud(estate([hub, spoke], []), () => NOW);
    const audit = new MemoryAuditLog();
    const deps = { policy: hubSpokePolicy(), providers: memoryProviders(memory), now: () => NOW, audit };
    await reconcileScope({ kind: 'estate' }, { ...deps, mode: 'observe' });
    await reconcileScope({ kind: 'estate' }, { ...deps, now: () => new Date(NOW.getTime() + 1_000) });
    await reconcileScope({ kind: 'estate' }, { ...deps, now: () => new Date(NOW.getTime() + 3_600_000) });
    const tallies = (await audit.list()).filter((e) => e.kind === 'conformance');
    expect(tallies.map((t) => t.counts)).toEqual([
      { desired: 1, converged: 0, pending: 1, held: 0, refused: 0 },
      { desired: 1, converged: 1, pending: 0, held: 0, refused: 0 },
      { desired: 1, converged: 1, pending: 0, held: 0, refused: 0 },
    ]);
  });

  it('an account sweep tallies the links that account owns (the spoke requests the hub), so per-account tallies add up to the estate', async () => {
    const hub = network(hubRef, ['10.0.0.0/16'], { role: 'hub' });
    const spoke = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
    const memory = new MemoryCloud(estate([hub, spoke], [peering('pcx-1', spoke, hub, 'active')]), () => NOW);
    const audit = new MemoryAuditLog();
    const deps = { policy: hubSpokePolicy(), providers: memoryProviders(memory), now: () => NOW, audit };
    await reconcileScope({ kind: 'account', cloud: 'aws', account: SPOKE_A }, deps);
    await reconcileScope({ kind: 'account', cloud: 'aws', account: HUB }, deps);
    await reconcileScope({ kind: 'estate' }, deps);
    const tallies = (await audit.list())
      .filter((e) => e.kind === 'conformance')
      .map((e) => [e.subject, e.counts?.desired, e.counts?.converged]);
    expect(tallies).toEqual(
      expect.arrayContaining([
        [`aws:${SPOKE_A}`, 1, 1],
        [`aws:${HUB}`, 0, 0],
        ['estate', 1, 1],
      ]),
    );
  });

  it("a network or route-table reconcile records no tally: it does not see all of an account's links", async () => {
    const hub = network(hubRef, ['10.0.0.0/16'], { role: 'hub' });
    const spoke = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16'], { role: 'spoke' });
    const memory = new MemoryCloud(estate([hub, spoke], [peering('pcx-1', spoke, hub, 'active')]), () => NOW);
    const audit = new MemoryAuditLog();
    await reconcileScope(
      { kind: 'network', network: spoke.ref },
      { policy: hubSpokePolicy(), providers: memoryProviders(memory), now: () => NOW, audit },
    );
    expect((await audit.list()).filter((e) => e.kind === 'conformance')).toEqual([]);
  });

  it('records each partition the plan could not read, with every reason, and each action it held', () => {
    const held: Action = {
      action: 'accept-peering',
      cloud: 'aws',
      reason: 'spokes-to-hub: accept',
      connection: 'spokes-to-hub',
      target: { id: 'pcx-9', ...handle },
      after: { options: {} },
    };
    const plan = {
      complete: false,
      scope: { kind: 'account' as const, cloud: 'aws' as const, account: HUB },
      mode: 'enforce' as const,
      actions: [],
      problems: [],
      held: [
        {
          action: held,
          waitingFor: ['aws:333333333333:us-east-1'],
          reason: 'waiting for aws:333333333333:us-east-1 (AccessDenied)',
        },
      ],
      partitions: [
        { cloud: 'aws' as const, account: HUB, region: 'us-east-1', complete: true, reasons: [] },
        {
          cloud: 'aws' as const,
          account: '333333333333',
          region: 'us-east-1',
          complete: false,
          reasons: ['AccessDenied: sts:AssumeRole', 'DescribeVpcs not read'],
        },
      ],
    };
    const entries = observationAuditEntries({
      policy: hubSpokePolicy(),
      observation: { complete: false, gaps: [], accounts: [], networks: [], peerings: [] },
      plan,
      scope: { kind: 'peering', cloud: 'aws', account: HUB, region: 'us-east-1', peeringId: 'pcx-9' },
      at: NOW,
      actor: 'peerkeeper',
      planHash: 'h',
    });
    expect(entries.map((e) => [e.kind ?? e.action, e.subject, e.outcome, e.reason])).toEqual([
      ['accept-peering', 'aws:pcx-9', 'held', 'waiting for aws:333333333333:us-east-1 (AccessDenied)'],
      [
        'unreadable-partition',
        'aws:333333333333:us-east-1',
        'unreadable',
        'AccessDenied: sts:AssumeRole; DescribeVpcs not read',
      ],
    ]);
  });
});
