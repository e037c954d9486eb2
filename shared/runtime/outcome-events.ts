import type { Action, Trigger } from '../model';
import { describeScope } from '../model';
import type { ReconcileResult } from '../reconcile';

/** The EventBridge `source` of everything peerkeeper publishes about itself. */
export const OUTCOME_SOURCE = 'peerkeeper';

/**
 * Detail-types subscribers match on (ticketing, SIEM, other automation). Stable: rules depend on the spelling.
 * `Peering Updated` covers option changes (update-peering), which the list leaves out.
 */
export const OUTCOME_DETAIL_TYPES = [
  'Peering Created',
  'Peering Accepted',
  'Peering Rejected',
  'Peering Deleted',
  'Peering Updated',
  'Approval Requested',
  'Route Created',
  'Route Reverted',
  'Route Deleted',
  'Drift Reported',
  'Attachment Created',
  'Attachment Accepted',
  'Attachment Rejected',
  'Attachment Updated',
  'Attachment Deleted',
] as const;
export type OutcomeDetailType = (typeof OUTCOME_DETAIL_TYPES)[number];

/** One thing peerkeeper did (or reported), as published. */
export interface OutcomeEvent {
  detailType: OutcomeDetailType;
  /** JSON-serializable; EventBridge caps an entry at 256 KB, an outcome is well under 2 KB. */
  detail: {
    action: Action['action'];
    cloud: Action['cloud'];
    reason: string;
    target: Action['target'];
    connection?: string;
    peeringId?: string;
    severity?: 'info' | 'warning' | 'error';
    scope: string;
    planHash: string;
    mode: 'observe' | 'enforce';
    trigger?: { eventId: string; kind: Trigger['kind']; source?: string; actor?: string };
  };
  /** When it happened (the reconcile's clock). */
  time: Date;
}

/** Where outcomes go; the EventBridge publisher in production, an array in tests. */
export interface OutcomePublisher {
  /** Publishes every event; never throws for delivery failures (they are logged): outcomes must not undo a reconcile. */
  publish(events: readonly OutcomeEvent[]): Promise<{ published: number; failed: number }>;
}

const DETAIL_TYPE_OF: Record<Action['action'], OutcomeDetailType> = {
  'create-peering': 'Peering Created',
  'accept-peering': 'Peering Accepted',
  'reject-peering': 'Peering Rejected',
  'delete-peering': 'Peering Deleted',
  'update-peering': 'Peering Updated',
  'request-approval': 'Approval Requested',
  'create-route': 'Route Created',
  // A planned replace is always a revert: the route exists and points somewhere the policy does not want.
  'replace-route': 'Route Reverted',
  'delete-route': 'Route Deleted',
  report: 'Drift Reported',
  'create-attachment': 'Attachment Created',
  'accept-attachment': 'Attachment Accepted',
  'reject-attachment': 'Attachment Rejected',
  // A planned update is a revert too: association or propagation changed out of band (or was never set).
  'update-attachment': 'Attachment Updated',
  'delete-attachment': 'Attachment Deleted',
};

/**
 * What a reconcile tells the world: every action that changed a cloud (`done`), every approval newly
 * requested, and every report. Converged, skipped, deferred and failed actions changed nothing and are
 * left to logs and metrics; observe mode therefore publishes only reports.
 */
export function outcomeEvents(result: ReconcileResult, at: Date, trigger?: Trigger): OutcomeEvent[] {
  const events: OutcomeEvent[] = [];
  for (const r of result.results) {
    const published = r.action.action === 'report' ? r.status === 'reported' : r.status === 'done';
    if (!published) continue;
    const a = r.action;
    events.push({
      detailType: DETAIL_TYPE_OF[a.action],
      time: at,
      detail: {
        action: a.action,
        cloud: a.cloud,
        reason: a.reason,
        target: a.target,
        ...(a.connection ? { connection: a.connection } : {}),
        ...(r.peeringId ? { peeringId: r.peeringId } : {}),
        ...(a.action === 'report' ? { severity: a.severity } : {}),
        scope: describeScope(result.scope),
        planHash: result.planHash,
        mode: result.plan.mode,
        ...(trigger
          ? {
              trigger: {
                eventId: trigger.eventId,
                kind: trigger.kind,
                ...(trigger.source ? { source: trigger.source } : {}),
                ...(trigger.actor ? { actor: trigger.actor } : {}),
              },
            }
          : {}),
      },
    });
  }
  return events;
}
