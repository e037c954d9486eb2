import { isPastExpiry, type ApprovalRecord } from './record';

/** Who clicked (or typed): the Slack user id, plus the name / email when known (for self-approval checks). */
export interface ApproverIdentity {
  id: string;
  name?: string;
  email?: string;
}

/** One human decision on an approval. */
export interface DecisionInput {
  decision: 'approve' | 'reject';
  user: ApproverIdentity;
  /** The Slack user groups (S…) the user belongs to, among those the approvers list names. */
  userGroups: readonly string[];
  at: Date;
  note?: string;
}

/** Why a decision was refused. */
export type RefusalReason = 'not-an-approver' | 'self-approval' | 'already-decided' | 'expired';

export type DecideResult = { ok: true; record: ApprovalRecord } | { ok: false; reason: RefusalReason; message: string };

/**
 * Applies a decision to a pending approval. Pure: the caller writes the returned record with a
 * conditional write on the version it read, so of two concurrent deciders only the first wins.
 * Checks run in this order so that a late or duplicate click always learns the outcome first.
 */
export function decide(record: ApprovalRecord, input: DecisionInput, approvers: readonly string[]): DecideResult {
  if (record.status !== 'pending')
    return {
      ok: false,
      reason: record.status === 'expired' ? 'expired' : 'already-decided',
      message: outcomeText(record),
    };
  if (isPastExpiry(record, input.at)) {
    return {
      ok: false,
      reason: 'expired',
      message: `This request expired at ${record.expiresAt}; nothing was changed.`,
    };
  }
  const allowed = approvers.includes(input.user.id) || input.userGroups.some((group) => approvers.includes(group));
  if (!allowed) {
    return {
      ok: false,
      reason: 'not-an-approver',
      message: `<@${input.user.id}> is not an approver for peerkeeper requests.`,
    };
  }
  if (input.decision === 'approve' && isRequester(record, input.user)) {
    return {
      ok: false,
      reason: 'self-approval',
      message: 'You requested this peering, so you cannot approve it; another approver must.',
    };
  }
  const note = input.note?.trim();
  return {
    ok: true,
    record: {
      ...record,
      status: input.decision === 'approve' ? 'approved' : 'rejected',
      decidedBy: input.user.id,
      decidedAt: input.at.toISOString(),
      ...(note ? { note } : {}),
      version: record.version + 1,
    },
  };
}

/** Closes a pending approval that is past its expiry; undefined when there is nothing to close. */
export function expire(record: ApprovalRecord, now: Date): ApprovalRecord | undefined {
  if (record.status !== 'pending' || !isPastExpiry(record, now)) return undefined;
  return {
    ...record,
    status: 'expired',
    decidedBy: 'peerkeeper',
    decidedAt: now.toISOString(),
    version: record.version + 1,
  };
}

/**
 * Closes a pending approval that no longer matters: the peering went away, was accepted or rejected
 * elsewhere, or the policy now decides it without a human. Undefined when it is already final.
 */
export function supersede(record: ApprovalRecord, now: Date, why: string): ApprovalRecord | undefined {
  if (record.status !== 'pending') return undefined;
  return {
    ...record,
    status: 'superseded',
    decidedBy: 'peerkeeper',
    decidedAt: now.toISOString(),
    note: why,
    version: record.version + 1,
  };
}

/** "already approved by <@U1> at 2024-…" — what a late or duplicate click is told. */
export function outcomeText(record: ApprovalRecord): string {
  const by =
    record.decidedBy === undefined || record.decidedBy === 'peerkeeper' ? 'peerkeeper' : `<@${record.decidedBy}>`;
  const at = record.decidedAt ?? 'an unknown time';
  switch (record.status) {
    case 'pending':
      return 'This request is still pending.';
    case 'expired':
      return `This request expired at ${record.expiresAt} without a decision; it was closed by ${by} at ${at}.`;
    case 'superseded':
      return `This request was already closed by ${by} at ${at}: ${record.note ?? 'superseded'}.`;
    default:
      return `This request was already ${record.status} by ${by} at ${at}.`;
  }
}

function isRequester(record: ApprovalRecord, user: ApproverIdentity): boolean {
  const requester = record.requestedBy?.trim().toLowerCase();
  if (!requester) return false;
  return [user.id, user.name, user.email].some(
    (identity) => identity !== undefined && identity.toLowerCase() === requester,
  );
}
