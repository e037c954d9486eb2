import type { ApprovalRecord } from '../../shared/approvals/record';
import { approvalScope } from '../../shared/approvals/slack/deferred';
import { networkKey } from '../../shared/model';
import type { ApprovalState } from '../../shared/planner';
import { attachApprovalId } from '../../shared/planner/transit';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { reconcileScope } from '../../shared/reconcile';
import { decisionFollowUp } from '../../shared/runtime/approvals';
import { NOW } from '../support/estate-builder';
import { hubRef, SPOKE_ACCOUNTS, spokeNetwork, transitHub, transitPolicy } from '../support/transit-builder';

/** A chat-approved transit connection: the approval of attaching one AWS spoke, decided, then reconciled. */
describe('approving a transit attachment from chat', () => {
  const spoke = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
  const id = attachApprovalId(networkKey(spoke.ref), hubRef('aws'));
  const record = (status: ApprovalRecord['status']): ApprovalRecord => ({
    id: 'aws-0123456789ab',
    cloud: 'aws',
    peeringId: id,
    requester: spoke.ref,
    accepter: hubRef('aws'),
    requesterCidrs: spoke.cidrs,
    accepterCidrs: [],
    link: 'attachment',
    reason: 'spokes-via-hub: attaching needs human approval',
    status,
    createdAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(),
    version: 2,
  });
  const run = (status: ApprovalState) => {
    const memory = new MemoryCloud(
      { networks: [spoke], peerings: [], accounts: [], transitHubs: [transitHub('aws')] },
      () => NOW,
    );
    const scope = approvalScope(record(status as ApprovalRecord['status']));
    return {
      memory,
      scope,
      result: reconcileScope(scope, {
        policy: transitPolicy('aws', {}, { approval: 'chat' }),
        providers: { aws: new MemoryProvider('aws', memory) },
        decisions: new Map([[id, status]]),
        now: () => NOW,
        sleep: async () => undefined,
      }),
    };
  };

  it("is decided from the spoke's side: its scope reads the spoke and the hub", () => {
    expect(run('approved').scope).toEqual({ kind: 'network', network: spoke.ref });
  });

  it('approved: the spoke is attached and accepted in that one reconcile, and the decider is told nothing more', async () => {
    const { memory, result } = run('approved');
    const r = await result;
    expect(r.results.map((x) => [x.action.action, x.status])).toEqual([
      ['create-attachment', 'done'],
      ['accept-attachment', 'done'],
    ]);
    expect([...memory.attachments.values()].map((a) => a.state)).toEqual(['active']);
    expect(decisionFollowUp(record('approved'), r)).toBeUndefined();
  });

  it('rejected before any attachment exists: nothing is created and nothing is left to say', async () => {
    const { memory, result } = run('rejected');
    const r = await result;
    expect(r.writes).toBe(0);
    expect(memory.attachments.size).toBe(0);
    expect(decisionFollowUp(record('rejected'), r)).toBeUndefined();
  });
});
