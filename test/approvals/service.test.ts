import type { ApprovalMessageRef, ApprovalRecord } from '../../shared/approvals/record';
import type { ApproverDirectory, Notifier, ReplyTarget } from '../../shared/approvals/notifier';
import { ApprovalService, type ApprovalRequestInput } from '../../shared/approvals/service';
import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';

/** Records every call; can be told to fail. */
class RecordingNotifier implements Notifier {
  posts: ApprovalRecord[] = [];
  updates: ApprovalRecord[] = [];
  told: { to: ReplyTarget; text: string }[] = [];
  failPosts = 0;
  failUpdates = 0;
  async post(record: ApprovalRecord): Promise<ApprovalMessageRef> {
    if (this.failPosts-- > 0) throw new Error('slack down');
    this.posts.push(record);
    return { channel: 'C0APPROVALS', ts: `${this.posts.length}.0001` };
  }
  async update(record: ApprovalRecord): Promise<void> {
    if (this.failUpdates-- > 0) throw new Error('slack down');
    this.updates.push(record);
  }
  async tell(to: ReplyTarget, text: string): Promise<void> {
    this.told.push({ to, text });
  }
}

const t0 = new Date('2024-05-01T10:00:00.000Z');
const later = (ms: number): Date => new Date(t0.getTime() + ms);
const input: ApprovalRequestInput = {
  cloud: 'aws',
  peeringId: 'pcx-0123456789abcdef0',
  requester: { cloud: 'aws', account: '999999999999', region: 'us-east-1', id: 'vpc-0a1b2c3d' },
  accepter: { cloud: 'aws', account: '111111111111', region: 'us-east-1', id: 'vpc-0e0f0a0b' },
  requesterCidrs: ['10.1.0.0/16'],
  accepterCidrs: ['10.0.0.0/16'],
  reason: 'partner-link requires approval',
  expiresAt: '2024-05-04T10:00:00.000Z',
  requestedBy: 'U0REQUESTR',
  planHash: 'sha256:feed',
  eventId: 'evt-1',
};

function setup(options: { approvers?: string[]; directory?: ApproverDirectory } = {}) {
  const store = new MemoryApprovalStore();
  const audit = new MemoryAuditLog();
  const notifier = new RecordingNotifier();
  const logged: string[] = [];
  const service = new ApprovalService({
    store,
    audit,
    notifier,
    approvers: options.approvers ?? ['U0APPROVE1', 'U0APPROVE2', 'U0REQUESTR'],
    directory: options.directory,
    log: (l) => logged.push(l),
  });
  return { store, audit, notifier, service, logged };
}

describe('ApprovalService.request', () => {
  it('creates the record, posts one message and remembers where it went', async () => {
    const { service, notifier, audit } = setup();
    const { record, created } = await service.request(input, t0);
    expect(created).toBe(true);
    expect(record).toMatchObject({
      status: 'pending',
      message: { channel: 'C0APPROVALS', ts: '1.0001' },
      version: 2,
      createdAt: t0.toISOString(),
    });
    expect(notifier.posts).toHaveLength(1);
    expect(await audit.list()).toEqual([
      expect.objectContaining({
        actor: 'peerkeeper',
        action: 'request-approval',
        subject: 'aws:pcx-0123456789abcdef0',
        outcome: 'pending',
        planHash: 'sha256:feed',
        eventId: 'evt-1',
      }),
    ]);
  });

  it('never posts a second message for duplicate events, even concurrent ones', async () => {
    const { service, notifier } = setup();
    const results = await Promise.all(Array.from({ length: 5 }, () => service.request(input, t0)));
    await service.request({ ...input, reason: 'a later, reworded duplicate' }, later(3_600_000));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(notifier.posts).toHaveLength(1);
  });

  it('reposts a message whose post failed, once, after a minute', async () => {
    const { service, notifier, logged } = setup();
    notifier.failPosts = 1;
    expect((await service.request(input, t0)).record.message).toBeUndefined();
    expect(logged.join()).toMatch(/posting the request failed/);
    await service.request(input, later(30_000));
    expect(notifier.posts).toHaveLength(0);
    expect((await service.request(input, later(61_000))).record.message).toEqual({
      channel: 'C0APPROVALS',
      ts: '1.0001',
    });
    await service.request(input, later(120_000));
    expect(notifier.posts).toHaveLength(1);
  });

  it('records an already-expired request as expired without posting', async () => {
    const { service, notifier } = setup();
    const { record } = await service.request({ ...input, expiresAt: t0.toISOString() }, t0);
    expect(record.status).toBe('expired');
    expect(notifier.posts).toHaveLength(0);
  });
});

describe('ApprovalService.handleDecision', () => {
  it('records an approval, audits it, updates the message and asks for a reconcile', async () => {
    const { service, notifier, audit } = setup();
    const { record } = await service.request(input, t0);
    const outcome = await service.handleDecision({
      approvalId: record.id,
      decision: 'approve',
      user: { id: 'U0APPROVE1' },
      now: later(60_000),
    });
    expect(outcome).toMatchObject({
      ok: true,
      reconcile: true,
      record: { status: 'approved', decidedBy: 'U0APPROVE1' },
    });
    expect(notifier.updates.map((r) => r.status)).toEqual(['approved']);
    expect((await audit.list()).map((e) => [e.actor, e.action, e.outcome])).toEqual([
      ['peerkeeper', 'request-approval', 'pending'],
      ['slack:U0APPROVE1', 'approve', 'approved'],
    ]);
    expect((await service.lookup('aws', input.peeringId))?.status).toBe('approved');
  });

  it('answers a duplicate click with who decided and when, and changes nothing', async () => {
    const { service, audit } = setup();
    const { record } = await service.request(input, t0);
    await service.handleDecision({
      approvalId: record.id,
      decision: 'reject',
      user: { id: 'U0APPROVE1' },
      note: 'no',
      now: later(60_000),
    });
    const again = await service.handleDecision({
      approvalId: record.id,
      decision: 'approve',
      user: { id: 'U0APPROVE2' },
      now: later(61_000),
    });
    expect(again).toMatchObject({ ok: false, reason: 'already-decided', reconcile: false });
    expect(again.text).toBe('This request was already rejected by <@U0APPROVE1> at 2024-05-01T10:01:00.000Z.');
    expect((await audit.list()).filter((e) => e.action === 'approve' || e.action === 'reject')).toHaveLength(1);
  });

  it('lets exactly one of 10 concurrent deciders win', async () => {
    const approvers = Array.from({ length: 10 }, (_, i) => `U0APPR${i}`);
    const { service } = setup({ approvers });
    const { record } = await service.request(input, t0);
    const outcomes = await Promise.all(
      approvers.map((id, i) =>
        service.handleDecision({
          approvalId: record.id,
          decision: i % 2 ? 'approve' : 'reject',
          user: { id },
          now: later(1000),
        }),
      ),
    );
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'already-decided')).toHaveLength(9);
  });

  const refusals = [
    { reason: 'a stranger is refused and the attempt is audited', user: { id: 'U0STRANGER' }, want: 'not-an-approver' },
    { reason: 'the requester cannot approve their own request', user: { id: 'U0REQUESTR' }, want: 'self-approval' },
  ];
  it.each(refusals)('$reason', async ({ user, want }) => {
    const { service, audit } = setup();
    const { record } = await service.request(input, t0);
    const outcome = await service.handleDecision({
      approvalId: record.id,
      decision: 'approve',
      user,
      now: later(1000),
    });
    expect(outcome).toMatchObject({ ok: false, reason: want, record: { status: 'pending' } });
    expect((await audit.list()).at(-1)).toMatchObject({ actor: `slack:${user.id}`, outcome: 'refused', reason: want });
  });

  it('accepts a member of an approver user group through the directory', async () => {
    const asked: string[][] = [];
    const directory: ApproverDirectory = {
      groupsOf: async (user, groups) => {
        asked.push([user, ...groups]);
        return user === 'U0NETOPS' ? ['S0NETOPS'] : [];
      },
    };
    const { service } = setup({ approvers: ['S0NETOPS'], directory });
    const { record } = await service.request(input, t0);
    expect(
      (
        await service.handleDecision({
          approvalId: record.id,
          decision: 'approve',
          user: { id: 'U0OTHER' },
          now: later(1),
        })
      ).ok,
    ).toBe(false);
    expect(
      (
        await service.handleDecision({
          approvalId: record.id,
          decision: 'approve',
          user: { id: 'U0NETOPS' },
          now: later(2),
        })
      ).ok,
    ).toBe(true);
    expect(asked).toEqual([
      ['U0OTHER', 'S0NETOPS'],
      ['U0NETOPS', 'S0NETOPS'],
    ]);
  });

  it('closes a request clicked after its expiry and says so', async () => {
    const { service, notifier, audit } = setup();
    const { record } = await service.request(input, t0);
    const outcome = await service.handleDecision({
      approvalId: record.id,
      decision: 'approve',
      user: { id: 'U0APPROVE1' },
      now: new Date(record.expiresAt),
    });
    expect(outcome).toMatchObject({ ok: false, reason: 'expired', record: { status: 'expired' } });
    expect(outcome.text).toMatch(/expired at 2024-05-04T10:00:00.000Z without a decision/);
    expect(notifier.updates.map((r) => r.status)).toEqual(['expired']);
    expect((await audit.list()).at(-1)).toMatchObject({ action: 'expire', outcome: 'expired' });
  });

  it('keeps the decision when the message update fails, and heals it on the next click', async () => {
    const { service, notifier, logged, audit } = setup();
    const { record } = await service.request(input, t0);
    notifier.failUpdates = 1;
    expect(
      (
        await service.handleDecision({
          approvalId: record.id,
          decision: 'approve',
          user: { id: 'U0APPROVE1' },
          now: later(1),
        })
      ).ok,
    ).toBe(true);
    expect(logged.join()).toMatch(/updating the message failed/);
    await service.handleDecision({
      approvalId: record.id,
      decision: 'approve',
      user: { id: 'U0APPROVE1' },
      now: later(2),
    });
    expect(notifier.updates.map((r) => r.status)).toEqual(['approved']);
    expect((await audit.list()).filter((e) => e.action === 'approve')).toHaveLength(1);
  });

  it('says so for an unknown approval id', async () => {
    const { service } = setup();
    expect(
      await service.handleDecision({
        approvalId: 'aws-000000000000',
        decision: 'approve',
        user: { id: 'U0APPROVE1' },
        now: t0,
      }),
    ).toMatchObject({ ok: false, reason: 'not-found' });
  });
});

describe('ApprovalService.expireDue and supersede', () => {
  it('closes only the approvals past their expiry and updates their messages', async () => {
    const { service, notifier, store } = setup();
    const soon = await service.request({ ...input, peeringId: 'pcx-soon', expiresAt: '2024-05-01T12:00:00.000Z' }, t0);
    await service.request({ ...input, peeringId: 'pcx-later' }, t0);
    const closed = await service.expireDue(new Date('2024-05-01T12:00:00.000Z'));
    expect(closed.map((r) => r.peeringId)).toEqual(['pcx-soon']);
    expect(notifier.updates.map((r) => [r.peeringId, r.status])).toEqual([['pcx-soon', 'expired']]);
    expect((await store.get(soon.record.id))?.status).toBe('expired');
    expect((await service.pending()).map((r) => r.peeringId)).toEqual(['pcx-later']);
    expect(await service.expireDue(new Date('2024-05-01T12:00:00.000Z'))).toEqual([]);
  });

  it('supersedes a pending approval once, with the reason', async () => {
    const { service, audit } = setup();
    const { record } = await service.request(input, t0);
    expect(await service.supersede(record.id, 'the peering was deleted', later(5))).toMatchObject({
      status: 'superseded',
      note: 'the peering was deleted',
    });
    expect(await service.supersede(record.id, 'again', later(6))).toMatchObject({
      status: 'superseded',
      note: 'the peering was deleted',
    });
    expect((await audit.list()).filter((e) => e.action === 'supersede')).toHaveLength(1);
  });
});
