import { decide, expire, supersede, type DecisionInput, type RefusalReason } from '../../shared/approvals/lifecycle';
import type { ApprovalRecord } from '../../shared/approvals/record';
import { sampleRecord } from '../stores/contract';

const approvers = ['U0APPROVE1', 'U0APPROVE2', 'S0NETOPS'];
const at = new Date('2024-05-01T12:00:00.000Z');
const pending = sampleRecord('pcx-life', { requestedBy: 'U0APPROVE2' });
const approved: ApprovalRecord = {
  ...pending,
  status: 'approved',
  decidedBy: 'U0APPROVE1',
  decidedAt: '2024-05-01T11:00:00.000Z',
  version: 2,
};

describe('decide', () => {
  const cases: {
    reason: string;
    record: ApprovalRecord;
    input: Partial<DecisionInput>;
    want: { status: string } | { refused: RefusalReason; message?: RegExp };
  }[] = [
    { reason: 'a listed approver approves', record: pending, input: {}, want: { status: 'approved' } },
    {
      reason: 'a listed approver rejects',
      record: pending,
      input: { decision: 'reject' },
      want: { status: 'rejected' },
    },
    {
      reason: 'someone not on the list is refused',
      record: pending,
      input: { user: { id: 'U0STRANGER' } },
      want: { refused: 'not-an-approver', message: /U0STRANGER> is not an approver/ },
    },
    {
      reason: 'a member of an approver user group may decide',
      record: pending,
      input: { user: { id: 'U0INGROUP' }, userGroups: ['S0NETOPS'] },
      want: { status: 'approved' },
    },
    {
      reason: 'a member of some other group may not',
      record: pending,
      input: { user: { id: 'U0INGROUP' }, userGroups: ['S0OTHER'] },
      want: { refused: 'not-an-approver' },
    },
    {
      reason: 'the requester may not approve their own request',
      record: pending,
      input: { user: { id: 'U0APPROVE2' } },
      want: { refused: 'self-approval' },
    },
    {
      reason: 'the requester is recognised by email too',
      record: { ...pending, requestedBy: 'Alice@Example.com' },
      input: { user: { id: 'U0APPROVE1', email: 'alice@example.com' } },
      want: { refused: 'self-approval' },
    },
    {
      reason: 'the requester may withdraw (reject) their own request',
      record: pending,
      input: { user: { id: 'U0APPROVE2' }, decision: 'reject' },
      want: { status: 'rejected' },
    },
    {
      reason: 'a duplicate click learns who decided and when',
      record: approved,
      input: { user: { id: 'U0APPROVE2' } },
      want: { refused: 'already-decided', message: /already approved by <@U0APPROVE1> at 2024-05-01T11:00:00.000Z/ },
    },
    {
      reason: 'a late click from a stranger still only learns the outcome',
      record: approved,
      input: { user: { id: 'U0STRANGER' } },
      want: { refused: 'already-decided' },
    },
    {
      reason: 'a click after the expiry is refused',
      record: { ...pending, expiresAt: '2024-05-01T12:00:00.000Z' },
      input: {},
      want: { refused: 'expired', message: /expired at 2024-05-01T12:00:00.000Z/ },
    },
    {
      reason: 'a click on an expired record is refused as expired',
      record: {
        ...pending,
        status: 'expired',
        decidedBy: 'peerkeeper',
        decidedAt: '2024-05-04T10:00:00.000Z',
        version: 2,
      },
      input: {},
      want: { refused: 'expired', message: /expired at .* without a decision/ },
    },
  ];

  it.each(cases)('$reason', ({ record, input, want }) => {
    const result = decide(
      record,
      { decision: 'approve', user: { id: 'U0APPROVE1' }, userGroups: [], at, ...input },
      approvers,
    );
    if ('status' in want) {
      expect(result).toMatchObject({
        ok: true,
        record: {
          status: want.status,
          decidedBy: input.user?.id ?? 'U0APPROVE1',
          decidedAt: at.toISOString(),
          version: record.version + 1,
        },
      });
    } else {
      expect(result).toMatchObject({ ok: false, reason: want.refused });
      if (want.message && !result.ok) expect(result.message).toMatch(want.message);
    }
  });

  it('keeps a trimmed note with the decision', () => {
    const result = decide(
      pending,
      { decision: 'reject', user: { id: 'U0APPROVE1' }, userGroups: [], at, note: '  overlaps the lab range ' },
      approvers,
    );
    expect(result.ok && result.record.note).toBe('overlaps the lab range');
  });
});

describe('expire and supersede', () => {
  it('expires only pending records past their expiry', () => {
    expect(expire(pending, new Date('2024-05-04T09:59:59.999Z'))).toBeUndefined();
    expect(expire(pending, new Date('2024-05-04T10:00:00.000Z'))).toMatchObject({
      status: 'expired',
      decidedBy: 'peerkeeper',
      version: 2,
    });
    expect(expire(approved, new Date('2024-06-01T00:00:00.000Z'))).toBeUndefined();
  });

  it('supersedes only pending records, keeping why', () => {
    expect(supersede(pending, at, 'the peering was deleted')).toMatchObject({
      status: 'superseded',
      note: 'the peering was deleted',
      version: 2,
    });
    expect(supersede(approved, at, 'x')).toBeUndefined();
  });
});
