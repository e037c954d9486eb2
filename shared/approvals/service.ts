import type { Cloud, NetworkRef } from '../model';
import type { ApprovalStore, AuditEntry, AuditLog } from '../stores/ports';
import { decide, expire, outcomeText, supersede, type ApproverIdentity, type RefusalReason } from './lifecycle';
import { isUserGroup, type ApproverDirectory, type Notifier } from './notifier';
import {
  approvalId,
  approvalSubject,
  ApprovalRecordSchema,
  isPastExpiry,
  type ApprovalMessageRef,
  type ApprovalRecord,
} from './record';

/** What the planner / reconciler knows when the policy routes a peering request to chat. */
export interface ApprovalRequestInput {
  cloud: Cloud;
  peeringId: string;
  requester: NetworkRef;
  accepter: NetworkRef;
  requesterCidrs: string[];
  accepterCidrs: string[];
  requesterName?: string;
  accepterName?: string;
  requesterAccountName?: string;
  accepterAccountName?: string;
  connection?: string;
  /** Set for a transit attachment (see ApprovalRecord.link). */
  link?: 'attachment';
  reason: string;
  /** From approvalExpiry(now, policy ttl, peering.expiresAt) — the request-approval action carries it. */
  expiresAt: string;
  requestedBy?: string;
  planHash?: string;
  eventId?: string;
}

export interface DecisionRequest {
  approvalId: string;
  decision: 'approve' | 'reject';
  user: ApproverIdentity;
  note?: string;
  now: Date;
  /** Where the decision came from, for the audit actor (`slack:U…`, `cli:alice`). */
  via?: 'slack' | 'cli';
}

/** What the endpoint answers (ephemerally) and whether the caller should now reconcile the peering. */
export type DecisionOutcome =
  | { ok: true; record: ApprovalRecord; text: string; reconcile: true }
  | { ok: false; reason: RefusalReason | 'not-found'; text: string; record?: ApprovalRecord; reconcile: false };

export interface ApprovalServiceOptions {
  store: ApprovalStore;
  audit: AuditLog;
  notifier: Notifier;
  /** Slack user ids (U…/W…) and user-group ids (S…) allowed to decide (policy approvals.approvers). */
  approvers: readonly string[];
  /** Resolves group approvers; without it only user ids count. */
  directory?: ApproverDirectory;
  /** Where operational problems go (never secrets). */
  log?: (line: string) => void;
}

/** A message whose post failed is posted again by the next duplicate request after this long (1 min). */
const REPOST_AFTER_MS = 60_000;
/** Compare-and-set retries for bookkeeping writes (message ts, expiry) that race with decisions. */
const CAS_ATTEMPTS = 5;

/**
 * The approval lifecycle over a store, an audit log and a notifier. One approval per peering request:
 * the record id is derived from the peering, created with a create-if-absent write, and only its
 * creator posts the message. Decisions are first-writer-wins compare-and-sets; every state change
 * and every refused decision is audited. The caller reconciles the peering when told to.
 */
export class ApprovalService {
  private readonly log: (line: string) => void;

  constructor(private readonly options: ApprovalServiceOptions) {
    this.log = options.log ?? (() => undefined);
  }

  /** Opens (or finds) the approval for a peering request; posts the message only when newly created. */
  async request(input: ApprovalRequestInput, now: Date): Promise<{ record: ApprovalRecord; created: boolean }> {
    const { eventId, ...fields } = input;
    const expired = isPastExpiry(input, now);
    const record = ApprovalRecordSchema.parse({
      ...fields,
      id: approvalId(input.cloud, input.peeringId),
      createdAt: now.toISOString(),
      version: 1,
      ...(expired
        ? { status: 'expired', decidedBy: 'peerkeeper', decidedAt: now.toISOString() }
        : { status: 'pending' }),
    });
    if ((await this.options.store.put(record)) === 'exists') {
      const existing = (await this.options.store.get(record.id))!;
      const lostPost =
        existing.status === 'pending' &&
        existing.message === undefined &&
        now.getTime() - Date.parse(existing.createdAt) > REPOST_AFTER_MS;
      return { record: lostPost ? await this.announce(existing, now) : existing, created: false };
    }
    await this.audit(record, {
      actor: 'peerkeeper',
      action: 'request-approval',
      outcome: record.status,
      reason: input.reason,
      eventId,
    });
    return { record: expired ? record : await this.announce(record, now), created: true };
  }

  /** The approval of a peering request, if there is one: the reconciler reads decisions here. */
  async lookup(cloud: Cloud, peeringId: string): Promise<ApprovalRecord | undefined> {
    return this.options.store.get(approvalId(cloud, peeringId));
  }

  /** Every pending approval, oldest first. */
  async pending(): Promise<ApprovalRecord[]> {
    return this.options.store.listByStatus('pending');
  }

  /** Records a human decision (first writer wins) and updates the message. */
  async handleDecision(request: DecisionRequest): Promise<DecisionOutcome> {
    const { now, user } = request;
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
      const record = await this.options.store.get(request.approvalId);
      if (record === undefined)
        return {
          ok: false,
          reason: 'not-found',
          text: `There is no approval \`${request.approvalId}\`.`,
          reconcile: false,
        };
      const userGroups = await this.groupsOf(user, record, now);
      const result = decide(
        record,
        { decision: request.decision, user, userGroups, at: now, ...(request.note ? { note: request.note } : {}) },
        this.options.approvers,
      );
      if (!result.ok) {
        await this.afterRefusal(record, request, result.reason);
        const latest =
          result.reason === 'expired' && record.status === 'pending'
            ? await this.close(record, now, (r) => expire(r, now))
            : record;
        return {
          ok: false,
          reason: result.reason,
          text: result.reason === 'expired' ? outcomeText(latest ?? record) : result.message,
          record: latest ?? record,
          reconcile: false,
        };
      }
      if (!(await this.options.store.compareAndSet(result.record, record.version))) continue; // lost a race: re-read and judge again
      await this.audit(result.record, {
        actor: `${request.via ?? 'slack'}:${user.id}`,
        action: request.decision,
        outcome: result.record.status,
        reason: result.record.note ?? `${request.decision} by an approver`,
      });
      await this.refresh(result.record, now);
      const next =
        result.record.status === 'approved'
          ? 'peerkeeper accepts the peering now'
          : 'peerkeeper rejects the peering now';
      return {
        ok: true,
        record: result.record,
        text: `${result.record.status === 'approved' ? 'Approved' : 'Rejected'} \`${record.id}\` (${record.peeringId}); ${next}.`,
        reconcile: true,
      };
    }
    return {
      ok: false,
      reason: 'already-decided',
      text: 'The request changed while you decided; look at the message again.',
      reconcile: false,
    };
  }

  /** Closes every pending approval past its expiry and says so on its message. Returns what it closed. */
  async expireDue(now: Date): Promise<ApprovalRecord[]> {
    const closed: ApprovalRecord[] = [];
    for (const record of await this.options.store.listByStatus('pending')) {
      if (!isPastExpiry(record, now)) continue;
      const done = await this.close(record, now, (r) => expire(r, now));
      if (done?.status === 'expired') closed.push(done);
    }
    return closed;
  }

  /** Closes a pending approval that no longer matters (peering gone, decided elsewhere, policy changed). */
  async supersede(id: string, why: string, now: Date): Promise<ApprovalRecord | undefined> {
    const record = await this.options.store.get(id);
    return record === undefined ? undefined : this.close(record, now, (r) => supersede(r, now, why));
  }

  /** Applies a peerkeeper-made transition with compare-and-set retries; audits it and updates the message. */
  private async close(
    record: ApprovalRecord,
    now: Date,
    transition: (r: ApprovalRecord) => ApprovalRecord | undefined,
  ): Promise<ApprovalRecord | undefined> {
    let current: ApprovalRecord | undefined = record;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current !== undefined; attempt++) {
      const next = transition(current);
      if (next === undefined) return current; // already final (someone decided first)
      if (await this.options.store.compareAndSet(next, current.version)) {
        await this.audit(next, {
          actor: 'peerkeeper',
          action: next.status === 'expired' ? 'expire' : 'supersede',
          outcome: next.status,
          reason: next.status === 'expired' ? `no decision by ${next.expiresAt}` : (next.note ?? 'superseded'),
        });
        await this.refresh(next, now);
        return next;
      }
      current = await this.options.store.get(record.id);
    }
    return current;
  }

  /** Posts the message and stores where it went; a failed post is retried by a later duplicate request. */
  private async announce(record: ApprovalRecord, now: Date): Promise<ApprovalRecord> {
    let message: ApprovalMessageRef | undefined;
    try {
      message = await this.options.notifier.post(record, now);
    } catch (error) {
      this.log(
        `approval ${record.id}: posting the request failed (${error instanceof Error ? error.message : 'unknown'}); a later request reposts it`,
      );
      return record;
    }
    if (message === undefined) return record;
    let current: ApprovalRecord | undefined = record;
    for (let attempt = 0; attempt < CAS_ATTEMPTS && current !== undefined; attempt++) {
      const next: ApprovalRecord = { ...current, message, version: current.version + 1 };
      if (await this.options.store.compareAndSet(next, current.version)) {
        if (next.status !== 'pending') await this.refresh(next, now); // decided (e.g. by CLI) while we posted
        return next;
      }
      current = await this.options.store.get(record.id);
    }
    return current ?? record;
  }

  /** Audits refusals that matter (who tried), and heals a missed audit or message update on duplicate clicks. */
  private async afterRefusal(record: ApprovalRecord, request: DecisionRequest, reason: RefusalReason): Promise<void> {
    const actor = `${request.via ?? 'slack'}:${request.user.id}`;
    if (reason === 'not-an-approver' || reason === 'self-approval') {
      await this.append({
        id: `${record.id}-refused-${request.user.id}-${request.now.getTime()}`,
        at: request.now.toISOString(),
        actor,
        action: request.decision,
        subject: approvalSubject(record),
        reason,
        outcome: 'refused',
        ...(record.planHash ? { planHash: record.planHash } : {}),
      });
      return;
    }
    if ((record.status === 'approved' || record.status === 'rejected') && record.decidedBy === request.user.id) {
      await this.audit(record, {
        actor,
        action: record.status === 'approved' ? 'approve' : 'reject',
        outcome: record.status,
        reason: record.note ?? `${record.status === 'approved' ? 'approve' : 'reject'} by an approver`,
      });
    }
    if (record.status !== 'pending') await this.refresh(record, request.now);
  }

  private async groupsOf(user: ApproverIdentity, record: ApprovalRecord, now: Date): Promise<string[]> {
    const groups = this.options.approvers.filter(isUserGroup);
    if (
      record.status !== 'pending' ||
      this.options.approvers.includes(user.id) ||
      groups.length === 0 ||
      !this.options.directory
    )
      return [];
    return this.options.directory.groupsOf(user.id, groups, now);
  }

  /** One audit entry per status of a record: id `<approval id>-<status>`, so re-appending is a no-op. */
  private async audit(
    record: ApprovalRecord,
    what: { actor: string; action: string; outcome: string; reason: string; eventId?: string | undefined },
  ): Promise<void> {
    await this.append({
      id: `${record.id}-${record.status}`,
      at: record.decidedAt ?? record.createdAt,
      actor: what.actor,
      action: what.action,
      subject: approvalSubject(record),
      reason: what.reason,
      outcome: what.outcome,
      ...(record.planHash ? { planHash: record.planHash } : {}),
      ...(what.eventId ? { eventId: what.eventId } : {}),
    });
  }

  private async append(entry: AuditEntry): Promise<void> {
    await this.options.audit.append(entry);
  }

  /** Updates the chat message; a failure is logged, and the next click on it updates it again. */
  private async refresh(record: ApprovalRecord, now: Date): Promise<void> {
    try {
      await this.options.notifier.update(record, now);
    } catch (error) {
      this.log(
        `approval ${record.id}: updating the message failed (${error instanceof Error ? error.message : 'unknown'})`,
      );
    }
  }
}
