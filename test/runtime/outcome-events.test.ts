import type { Action } from '../../shared/model';
import type { ActionResult, ReconcileResult } from '../../shared/reconcile';
import { OUTCOME_DETAIL_TYPES, outcomeEvents } from '../../shared/runtime';
import { awsRef, HUB, SPOKE_A } from '../support/estate-builder';

const hub = awsRef(HUB, 'vpc-hub');
const spoke = awsRef(SPOKE_A, 'vpc-a');
const handle = { id: 'pcx-1', requester: spoke, accepter: hub };
const route = { network: hub, routeTableId: 'rtb-1', destination: '10.1.0.0/16' };
const before = {
  destination: '10.1.0.0/16',
  target: { kind: 'other' as const, id: 'igw-1' },
  origin: 'static' as const,
};
const tgw = { cloud: 'aws' as const, account: HUB, region: 'us-east-1', id: 'tgw-1' };
const attachment = { id: 'tgw-attach-1', hub: tgw, network: spoke };
const routing = { association: 'tgw-rtb-1', propagations: ['tgw-rtb-1'] };
const actions: Record<Action['action'], Action> = {
  'create-attachment': {
    action: 'create-attachment',
    cloud: 'aws',
    reason: 'r',
    target: { hub: tgw, network: spoke },
    after: { routing, tags: {} },
  },
  'accept-attachment': {
    action: 'accept-attachment',
    cloud: 'aws',
    reason: 'r',
    target: attachment,
    after: { routing },
  },
  'reject-attachment': { action: 'reject-attachment', cloud: 'aws', reason: 'r', target: attachment },
  'update-attachment': {
    action: 'update-attachment',
    cloud: 'aws',
    reason: 'r',
    target: attachment,
    before: { propagations: [] },
    after: routing,
  },
  'delete-attachment': {
    action: 'delete-attachment',
    cloud: 'aws',
    reason: 'r',
    target: attachment,
    before: { id: 'tgw-attach-1', cloud: 'aws', hub: tgw, network: spoke, state: 'active', propagations: [], tags: {} },
  },
  'create-peering': {
    action: 'create-peering',
    cloud: 'aws',
    reason: 'r',
    target: { requester: spoke, accepter: hub },
    after: { options: {}, tags: {} },
  },
  'accept-peering': { action: 'accept-peering', cloud: 'aws', reason: 'r', target: handle, after: { options: {} } },
  'reject-peering': { action: 'reject-peering', cloud: 'aws', reason: 'r', target: handle },
  'delete-peering': {
    action: 'delete-peering',
    cloud: 'aws',
    reason: 'r',
    target: handle,
    before: { id: 'pcx-1', cloud: 'aws', requester: spoke, accepter: hub, state: 'active', options: {}, tags: {} },
  },
  'update-peering': { action: 'update-peering', cloud: 'aws', reason: 'r', target: handle, before: {}, after: {} },
  'create-route': {
    action: 'create-route',
    cloud: 'aws',
    reason: 'r',
    target: route,
    after: { kind: 'peering', peering: handle },
  },
  'replace-route': {
    action: 'replace-route',
    cloud: 'aws',
    reason: 'r',
    target: route,
    before,
    after: { kind: 'peering', peering: handle },
  },
  'delete-route': { action: 'delete-route', cloud: 'aws', reason: 'r', target: route, before },
  'request-approval': {
    action: 'request-approval',
    cloud: 'aws',
    reason: 'r',
    target: handle,
    expiresAt: '2026-11-23T12:00:00.000Z',
  },
  report: {
    action: 'report',
    cloud: 'aws',
    reason: 'unknown peering',
    target: { subject: 'aws:pcx-9' },
    severity: 'warning',
  },
};

function result(entries: [Action, ActionResult['status']][], mode: 'observe' | 'enforce' = 'enforce'): ReconcileResult {
  return {
    scope: { kind: 'account', cloud: 'aws', account: HUB },
    observation: { complete: true, gaps: [], networks: [], peerings: [] } as unknown as ReconcileResult['observation'],
    plan: {
      complete: true,
      scope: { kind: 'account', cloud: 'aws', account: HUB },
      mode,
      actions: entries.map(([a]) => a),
      held: [],
      partitions: [],
      problems: [],
    },
    planHash: 'hash',
    writes: 0,
    results: entries.map(([action, status]) => ({
      action,
      status,
      attempts: 1,
      ...(action.action === 'create-peering' ? { peeringId: 'pcx-new' } : {}),
    })),
  };
}

describe('outcomeEvents', () => {
  const expected: Record<Action['action'], string> = {
    'create-peering': 'Peering Created',
    'accept-peering': 'Peering Accepted',
    'reject-peering': 'Peering Rejected',
    'delete-peering': 'Peering Deleted',
    'update-peering': 'Peering Updated',
    'create-route': 'Route Created',
    'replace-route': 'Route Reverted',
    'delete-route': 'Route Deleted',
    'request-approval': 'Approval Requested',
    report: 'Drift Reported',
    'create-attachment': 'Attachment Created',
    'accept-attachment': 'Attachment Accepted',
    'reject-attachment': 'Attachment Rejected',
    'update-attachment': 'Attachment Updated',
    'delete-attachment': 'Attachment Deleted',
  };
  it.each(Object.entries(actions))('publishes a done %s under its detail-type', (kind, action) => {
    const events = outcomeEvents(result([[action, kind === 'report' ? 'reported' : 'done']]), new Date(0), {
      scope: { kind: 'estate' },
      kind: 'sweep',
      eventId: 'e1',
    });
    expect(events.map((e) => e.detailType)).toEqual([expected[kind as Action['action']]]);
    expect(OUTCOME_DETAIL_TYPES).toContain(events[0]!.detailType);
    expect(events[0]!.detail).toMatchObject({
      action: kind,
      scope: `aws:${HUB}`,
      planHash: 'hash',
      trigger: { eventId: 'e1', kind: 'sweep' },
    });
  });

  const silent: Record<string, { reason: string; status: ActionResult['status'] }> = {
    converged: { reason: 'nothing changed', status: 'converged' },
    skipped: { reason: 'stale action, nothing changed', status: 'skipped' },
    failed: { reason: 'failures go to logs and metrics', status: 'failed' },
    deferred: { reason: 'left to the next run', status: 'deferred' },
    observed: { reason: 'observe mode changes nothing', status: 'observed' },
  };
  it.each(Object.entries(silent))('publishes nothing for a %s action', (_name, c) => {
    expect(outcomeEvents(result([[actions['replace-route'], c.status]]), new Date(0))).toEqual([]);
  });

  it('carries the created peering id', () => {
    expect(outcomeEvents(result([[actions['create-peering'], 'done']]), new Date(0))[0]!.detail.peeringId).toBe(
      'pcx-new',
    );
  });
});
