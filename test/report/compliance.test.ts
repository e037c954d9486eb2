import { buildReport, latencyOf, rejectionClass, renderReportMarkdown } from '../../shared/report';
import type { AuditEntry } from '../../shared/stores/ports';

const SINCE = new Date('2026-11-01T00:00:00.000Z');
const UNTIL = new Date('2026-11-03T00:00:00.000Z');
const window = { since: SINCE, until: UNTIL };

let seq = 0;
function entry(at: string, fields: Partial<AuditEntry>): AuditEntry {
  seq++;
  return {
    id: `e${String(seq).padStart(4, '0')}`,
    at,
    actor: 'peerkeeper',
    action: 'create-route',
    subject: 's',
    reason: 'r',
    outcome: 'done',
    ...fields,
  };
}
const sweep = (at: string, counts: Record<string, number>) =>
  entry(at, { action: 'sweep', subject: 'estate', kind: 'conformance', outcome: 'complete', counts });
const unreadable = (at: string, subject: string) =>
  entry(at, {
    action: 'observe',
    subject,
    kind: 'unreadable-partition',
    outcome: 'unreadable',
    reason: 'AccessDenied',
  });

describe('buildReport', () => {
  it('counts drift found and reverted per kind, with time to revert from detectedAt', () => {
    const r = buildReport(
      [
        entry('2026-11-01T10:00:10.000Z', {
          action: 'replace-route',
          kind: 'route-drift',
          detectedAt: '2026-11-01T10:00:00.000Z',
        }),
        entry('2026-11-01T11:01:00.000Z', {
          action: 'replace-route',
          kind: 'route-drift',
          detectedAt: '2026-11-01T11:00:00.000Z',
        }),
        entry('2026-11-01T12:00:00.000Z', {
          action: 'replace-route',
          kind: 'route-drift',
          detectedAt: '2026-11-01T11:59:00.000Z',
          outcome: 'failed',
        }),
        entry('2026-11-02T09:00:05.000Z', {
          action: 'update-peering',
          kind: 'peering-drift',
          detectedAt: '2026-11-02T09:00:00.000Z',
        }),
        entry('2026-11-02T09:30:00.000Z', { action: 'report', kind: 'route-drift', outcome: 'reported' }),
      ],
      window,
    );
    expect(r.drift.found).toBe(5);
    expect(r.drift.reverted).toBe(3);
    expect(r.drift.byKind).toEqual([
      { kind: 'peering-drift', found: 1, reverted: 1, timeToRevert: { count: 1, p50Ms: 5_000, p95Ms: 5_000 } },
      { kind: 'route-drift', found: 4, reverted: 2, timeToRevert: { count: 2, p50Ms: 10_000, p95Ms: 60_000 } },
    ]);
    expect(r.failures).toBe(1);
    expect(r.days.map((d) => [d.day, d.reverted, d.failed])).toEqual([
      ['2026-11-01', 2, 1],
      ['2026-11-02', 1, 0],
      ['2026-11-03', 0, 0],
    ]);
  });

  it('pairs each approval decision with its request: who, when, how long, and what stays open', () => {
    const r = buildReport(
      [
        entry('2026-11-01T10:00:00.000Z', {
          id: 'apr1-pending',
          action: 'request-approval',
          subject: 'aws:pcx-1',
          outcome: 'pending',
        }),
        entry('2026-11-01T10:30:00.000Z', {
          id: 'apr1-approved',
          action: 'approve',
          subject: 'aws:pcx-1',
          actor: 'slack:U1',
          outcome: 'approved',
        }),
        entry('2026-11-01T11:00:00.000Z', {
          id: 'apr2-pending',
          action: 'request-approval',
          subject: 'aws:pcx-2',
          outcome: 'pending',
        }),
        entry('2026-11-01T13:00:00.000Z', {
          id: 'apr2-rejected',
          action: 'reject',
          subject: 'aws:pcx-2',
          actor: 'cli:alice',
          outcome: 'rejected',
          reason: 'not now',
        }),
        entry('2026-11-01T14:00:00.000Z', {
          id: 'apr3-pending',
          action: 'request-approval',
          subject: 'aws:pcx-3',
          outcome: 'pending',
        }),
        entry('2026-11-01T14:05:00.000Z', {
          id: 'apr3-refused-U9-1',
          action: 'approve',
          subject: 'aws:pcx-3',
          actor: 'slack:U9',
          outcome: 'refused',
          reason: 'not-an-approver',
        }),
        // The reconcile's own record of the request-approval action is not a second request.
        entry('2026-11-01T14:00:00.000Z', {
          id: 'deadbeef',
          action: 'request-approval',
          subject: 'aws:pcx-3',
          outcome: 'done',
        }),
      ],
      window,
    );
    expect(r.approvals).toMatchObject({
      requested: 3,
      approved: 1,
      rejected: 1,
      expired: 0,
      open: 1,
      latency: { count: 2, p50Ms: 1_800_000, p95Ms: 7_200_000 },
    });
    expect(r.approvals.decisions).toEqual([
      {
        subject: 'aws:pcx-2',
        requestedAt: '2026-11-01T11:00:00.000Z',
        decidedAt: '2026-11-01T13:00:00.000Z',
        by: 'cli:alice',
        outcome: 'rejected',
        latencyMs: 7_200_000,
      },
      {
        subject: 'aws:pcx-1',
        requestedAt: '2026-11-01T10:00:00.000Z',
        decidedAt: '2026-11-01T10:30:00.000Z',
        by: 'slack:U1',
        outcome: 'approved',
        latencyMs: 1_800_000,
      },
    ]);
    expect(r.rejections).toEqual([
      { reason: 'decision refused: not-an-approver', count: 1 },
      { reason: 'rejected by an approver', count: 1 },
    ]);
  });

  it('counts a partition unreadable in the latest sweeps in a row, and resets the run when a sweep reads it', () => {
    const r = buildReport(
      [
        sweep('2026-11-01T01:00:00.000Z', { desired: 3, converged: 3 }),
        unreadable('2026-11-01T01:00:00.000Z', 'aws:1:us-east-1'),
        unreadable('2026-11-01T01:00:00.000Z', 'aws:2:us-east-1'),
        sweep('2026-11-01T02:00:00.000Z', { desired: 3, converged: 3 }),
        unreadable('2026-11-01T02:00:00.000Z', 'aws:2:us-east-1'),
        sweep('2026-11-01T03:00:00.000Z', { desired: 3, converged: 2, held: 1 }),
        unreadable('2026-11-01T03:00:00.000Z', 'aws:2:us-east-1'),
        unreadable('2026-11-01T03:00:00.000Z', 'aws:1:us-east-1'),
      ],
      window,
    );
    expect(r.unreadablePartitions.map((u) => [u.partition, u.consecutive, u.times])).toEqual([
      ['aws:2:us-east-1', 3, 3],
      ['aws:1:us-east-1', 1, 2],
    ]);
    expect(r.conformance).toEqual({
      at: '2026-11-01T03:00:00.000Z',
      complete: true,
      desired: 3,
      converged: 2,
      pending: 0,
      held: 1,
      refused: 0,
    });
  });

  it("sums the latest tally of each account into the estate's conformance; an estate tally, counting every link at once, wins", () => {
    const tally = (at: string, subject: string, desired: number, converged: number) =>
      entry(at, { action: 'sweep', subject, kind: 'conformance', outcome: 'complete', counts: { desired, converged } });
    const byAccount = buildReport(
      [
        tally('2026-11-01T01:00:00.000Z', 'aws:1:us-east-1', 4, 2),
        tally('2026-11-01T01:00:05.000Z', 'aws:2:us-east-1', 3, 3),
        tally('2026-11-01T02:00:00.000Z', 'aws:1:us-east-1', 4, 4),
      ],
      window,
    );
    expect(byAccount.conformance).toMatchObject({ desired: 7, converged: 7, at: '2026-11-01T02:00:00.000Z' });
    const estateLast = buildReport(
      [tally('2026-11-01T01:00:00.000Z', 'aws:1:us-east-1', 4, 2), tally('2026-11-01T03:00:00.000Z', 'estate', 9, 8)],
      window,
    );
    expect(estateLast.conformance).toMatchObject({ desired: 9, converged: 8 });
    const estateFirst = buildReport(
      [tally('2026-11-01T01:00:00.000Z', 'estate', 9, 8), tally('2026-11-01T03:00:00.000Z', 'aws:1:us-east-1', 4, 4)],
      window,
    );
    expect(estateFirst.conformance).toMatchObject({ desired: 9, converged: 8 });
  });

  it("counts an account's unreadable streak over its own sweeps, whatever other accounts' sweeps do in between", () => {
    const tally = (at: string, subject: string) =>
      entry(at, {
        action: 'sweep',
        subject,
        kind: 'conformance',
        outcome: 'complete',
        counts: { desired: 1, converged: 1 },
      });
    const r = buildReport(
      [
        tally('2026-11-01T01:00:00.000Z', 'aws:3:us-east-1'),
        unreadable('2026-11-01T01:00:00.000Z', 'aws:3:us-east-1'),
        tally('2026-11-01T01:00:01.000Z', 'aws:4:us-east-1'),
        tally('2026-11-01T02:00:00.000Z', 'aws:3:us-east-1'),
        unreadable('2026-11-01T02:00:00.000Z', 'aws:3:us-east-1'),
        tally('2026-11-01T02:00:01.000Z', 'aws:4:us-east-1'),
      ],
      window,
    );
    expect(r.unreadablePartitions.map((u) => [u.partition, u.consecutive])).toEqual([['aws:3:us-east-1', 2]]);
  });

  it('lists each unmanaged peering once, with when it was first and last seen', () => {
    const r = buildReport(
      [
        entry('2026-11-01T01:00:00.000Z', {
          action: 'report',
          kind: 'unmanaged-peering',
          subject: 'pcx-old',
          cloud: 'aws',
          outcome: 'reported',
        }),
        entry('2026-11-02T01:00:00.000Z', {
          action: 'report',
          kind: 'unmanaged-peering',
          subject: 'pcx-old',
          cloud: 'aws',
          outcome: 'reported',
        }),
      ],
      window,
    );
    expect(r.unmanagedPeerings).toEqual([
      {
        subject: 'pcx-old',
        cloud: 'aws',
        firstSeen: '2026-11-01T01:00:00.000Z',
        lastSeen: '2026-11-02T01:00:00.000Z',
        reason: 'r',
      },
    ]);
  });

  it('ignores entries outside the window', () => {
    const r = buildReport(
      [
        entry('2026-10-31T23:59:59.999Z', { action: 'accept-peering' }),
        entry('2026-11-01T00:00:00.000Z', { action: 'accept-peering' }),
        entry('2026-11-03T00:00:00.001Z', { action: 'accept-peering' }),
      ],
      window,
    );
    expect(r.entries).toBe(1);
    expect(r.days[0]!.accepted).toBe(1);
  });

  it('renders every section in Markdown, saying so when a section is empty', () => {
    const md = renderReportMarkdown(buildReport([], window));
    for (const heading of [
      '## Conformance',
      '## Drift',
      '## Approvals',
      '## Rejections',
      '## Unmanaged peerings',
      '## Unreadable partitions',
    ])
      expect(md).toContain(heading);
    expect(md).toContain('No sweep in the window.');
    expect(md).toContain('Every partition was read.');
  });
});

describe('rejectionClass', () => {
  const cases: { reason: string; input: string; want: string }[] = [
    {
      reason: 'an unlisted account names its number; the class does not',
      input: 'request from vpc-1 (666666666666): account 666666666666 is not listed in the policy',
      want: 'requester account not listed in the policy',
    },
    {
      reason: 'overlaps differ by range only',
      input: 'CIDR overlap: requester 10.0.0.0/16 overlaps accepter 10.0.0.0/8',
      want: 'CIDR overlap',
    },
    {
      reason: 'a routed overlap is an overlap',
      input: 'requester 10.1.0.0/16 overlaps 10.1.0.0/16, already routed in rtb-1',
      want: 'CIDR overlap',
    },
    {
      reason: "the policy's own deny reason is kept",
      input: 'denied by policy: spokes talk through the hub',
      want: 'denied by policy: spokes talk through the hub',
    },
    {
      reason: 'unknown wording loses ids and ranges only',
      input: 'something new about vpc-0abc and 10.2.0.0/16',
      want: 'something new about <id> and <cidr>',
    },
  ];
  it.each(cases)('$reason', ({ input, want }) => {
    expect(rejectionClass(input)).toBe(want);
  });
});

describe('latencyOf', () => {
  it('takes nearest-rank percentiles, so p95 of 20 values is the 19th', () => {
    const values = Array.from({ length: 20 }, (_, i) => (20 - i) * 1000);
    expect(latencyOf(values)).toEqual({ count: 20, p50Ms: 10_000, p95Ms: 19_000 });
  });
});
