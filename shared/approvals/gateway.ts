import type { ActionOf, Observation, Peering } from '../model';
import { networkKey } from '../model';
import type { ApprovalState } from '../planner';
import type { ApprovalService } from './service';

/**
 * What the reconciler needs from approvals: where each pending request's approval stands, and a way to
 * open one. The planner turns `approved` into an accept (after every safety check again), `rejected` into
 * a reject, and `pending` / `expired` into a report — so a duplicate event never posts a second message.
 */
export interface ApprovalGateway {
  /** Peerings, and transit attachments awaiting a decision (ids as the planner asks them: attachApprovalKeys). */
  states(peerings: readonly Pick<Peering, 'cloud' | 'id' | 'state'>[]): Promise<Map<string, ApprovalState>>;
  request(
    action: ActionOf<'request-approval'>,
    peeringId: string,
    context: { observation: Observation; planHash: string; now: Date; eventId?: string },
  ): Promise<'created' | 'exists'>;
}

/** The gateway over an ApprovalService (any store, any notifier). */
export function approvalGateway(service: ApprovalService): ApprovalGateway {
  return {
    async states(peerings) {
      const states = new Map<string, ApprovalState>();
      for (const p of peerings) {
        if (p.state !== 'requested') continue;
        const record = await service.lookup(p.cloud, p.id);
        // A superseded approval no longer speaks for this request.
        if (record && record.status !== 'superseded') states.set(p.id, record.status);
      }
      return states;
    },
    async request(action, peeringId, { observation, planHash, now, eventId }) {
      const net = (key: string) => observation.networks.find((n) => networkKey(n.ref) === key);
      const peering = observation.peerings.find((p) => p.cloud === action.cloud && p.id === peeringId);
      const req = net(networkKey(action.target.requester));
      const acc = net(networkKey(action.target.accepter));
      const account = (cloud: string, id: string) =>
        observation.accounts.find((a) => a.cloud === cloud && a.account === id)?.name;
      const requesterAccountName = account(action.cloud, action.target.requester.account);
      const accepterAccountName = account(action.cloud, action.target.accepter.account);
      const { created } = await service.request(
        {
          cloud: action.cloud,
          peeringId,
          requester: action.target.requester,
          accepter: action.target.accepter,
          requesterCidrs: req?.cidrs ?? peering?.requesterCidrs ?? [],
          accepterCidrs: acc?.cidrs ?? peering?.accepterCidrs ?? [],
          ...(req?.name ? { requesterName: req.name } : {}),
          ...(acc?.name ? { accepterName: acc.name } : {}),
          ...(requesterAccountName ? { requesterAccountName } : {}),
          ...(accepterAccountName ? { accepterAccountName } : {}),
          ...(action.connection ? { connection: action.connection } : {}),
          ...(action.link ? { link: action.link } : {}),
          ...(peering?.requestedBy ? { requestedBy: peering.requestedBy } : {}),
          reason: action.reason,
          expiresAt: action.expiresAt,
          planHash,
          ...(eventId ? { eventId } : {}),
        },
        now,
      );
      return created ? 'created' : 'exists';
    },
  };
}
