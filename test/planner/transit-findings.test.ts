import type { Cloud } from '../../shared/model';
import { isMutating } from '../../shared/model';
import type { ApprovalState } from '../../shared/planner';
import { estate } from '../support/estate-builder';
import {
  attachment,
  OURS,
  propagated,
  SPOKE_ACCOUNTS,
  spokeNetwork,
  TRANSIT,
  transitHub,
  transitPolicy,
} from '../support/transit-builder';
import { attachmentKinds as kinds, planAt as plan } from '../support/transit-plan';

// Transit cases the oracles found (monotonicity, plan safety, chaos): each states the seed and the reason.
describe('transit holds: what a transit decision reads (found by the monotonicity oracle, issue 17)', () => {
  const [a, b] = SPOKE_ACCOUNTS.aws;
  const azureAccount = SPOKE_ACCOUNTS.azure[0];
  const reaching = transitPolicy('aws', {
    groups: {
      spokes: { cloud: 'aws', account: [a, b], tags: { role: 'spoke' } },
      'azure-data': { cloud: 'azure', account: azureAccount },
    },
    transitHubs: {
      core: {
        cloud: 'aws',
        account: TRANSIT.aws.account,
        region: 'us-east-1',
        id: TRANSIT.aws.id,
        associate: 'tgw-rtb-0spokes',
        reaches: [{ through: 'tgw-attach-vpn', groups: ['azure-data'] }],
      },
    },
  });
  const unread = (cloud: Cloud, account: string, region?: string) => ({
    complete: false,
    gaps: [`${cloud}:${account}: DescribeVpcs failed`],
    unread: [{ cloud, account, ...(region ? { region } : {}), reason: 'DescribeVpcs failed (RequestLimitExceeded)' }],
  });
  const active = (id: string, n: ReturnType<typeof spokeNetwork>) =>
    attachment(id, n, 'active', { association: 'tgw-rtb-0spokes', propagations: ['tgw-rtb-0spokes'], tags: OURS });

  it.each([
    {
      why: 'a spoke is attached only when the groups the hub reaches in another cloud were read: the unread Azure subscription may hold the range it overlaps (seed 424: the full plan refuses it)',
      observation: estate([spokeNetwork('aws', a, 'clash', ['10.200.0.0/20'])], [], {
        transitHubs: [transitHub('aws')],
        ...unread('azure', azureAccount),
      }),
      held: 'create-attachment',
      waits: `azure:${azureAccount}`,
    },
    {
      why: 'a route toward the hub waits for the spokes group: an unread spoke account may hold a destination that takes the last slot of a full table first (seed 425: the full plan routes the wider range and has no room for this one)',
      observation: estate(
        [spokeNetwork('aws', a, 'one', ['10.1.0.0/16']), spokeNetwork('aws', a, 'two', ['10.2.0.0/16'])],
        [],
        {
          transitHubs: [
            transitHub('aws', [propagated('10.1.0.0/16', 'tgw-attach-1'), propagated('10.2.0.0/16', 'tgw-attach-2')]),
          ],
          ...unread('aws', b, 'us-east-1'),
        },
      ),
      attachments: true,
      held: 'create-route',
      waits: `aws:${b}:us-east-1`,
    },
  ])('$why', ({ observation, attachments, held, waits }) => {
    const [one, two] = observation.networks;
    const o = attachments
      ? { ...observation, attachments: [active('tgw-attach-1', one!), active('tgw-attach-2', two!)] }
      : observation;
    const p = plan(reaching, o);
    expect(p.actions.filter(isMutating)).toEqual([]);
    const waiting = p.held.filter((h) => h.action.action === held);
    expect(waiting.length).toBeGreaterThan(0);
    for (const h of waiting) expect(h.waitingFor).toContain(waits);
  });

  it('with every partition read, the same decisions are made (the holds are the gaps, not the transit)', () => {
    const p = plan(
      reaching,
      estate([spokeNetwork('aws', a, 'fine', ['10.9.0.0/16'])], [], { transitHubs: [transitHub('aws')] }),
    );
    expect(p.held).toEqual([]);
    expect(kinds(p)).toEqual(['create-attachment', 'accept-attachment']);
  });
});

describe("transit approvals: an approver's rejection (found by the plan-safety oracle, issue 17)", () => {
  const spoke = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
  const pending = estate([spoke], [], {
    transitHubs: [transitHub('aws')],
    attachments: [attachment('tgw-attach-9', spoke, 'requested')],
  });
  const approvalId = `attach:aws:${spoke.ref.account}:us-east-1:vpc-pay@tgw-0hub`;

  it.each([
    {
      why: 'approval: auto still honours a rejection on record for the request (seeds 61, 292, 385: it was accepted), as peerings do',
      observation: pending,
      decisions: new Map([['tgw-attach-9', 'rejected' as const]]),
      want: ['reject-attachment'],
    },
    {
      why: 'approval: auto does not create an attachment an approver rejected before it existed',
      observation: estate([spoke], [], { transitHubs: [transitHub('aws')] }),
      decisions: new Map([[approvalId, 'rejected' as const]]),
      want: [],
    },
    {
      why: 'approval: auto with no decision accepts (the rejection, not the record, is what stops it)',
      observation: pending,
      decisions: new Map<string, ApprovalState>(),
      want: ['accept-attachment'],
    },
  ])('$why', ({ observation, decisions, want }) => {
    expect(kinds(plan(transitPolicy('aws'), observation, decisions))).toEqual(want);
  });
});

describe('transit routes: only toward spokes attached already (found by the chaos suite, issue 17)', () => {
  const [a, b] = SPOKE_ACCOUNTS.aws;
  const one = spokeNetwork('aws', a, 'one', ['10.1.0.0/16']);
  const two = spokeNetwork('aws', b, 'two', ['10.2.0.0/16']);
  const ours = (id: string, n: ReturnType<typeof spokeNetwork>, state: 'active' | 'requested' = 'active') =>
    attachment(id, n, state, {
      ...(state === 'active' ? { association: 'tgw-rtb-0spokes', propagations: ['tgw-rtb-0spokes'] } : {}),
      tags: OURS,
    });

  it.each([
    {
      why: 'the other spoke is being attached in this plan: no route toward its range yet (it could still be refused or rejected, and routes toward the hub are never deleted: chaos seed 424 left one behind)',
      attachments: [ours('tgw-attach-1', one)],
      want: [],
    },
    {
      why: 'the other spoke asks to attach: still no route toward it',
      attachments: [ours('tgw-attach-1', one), attachment('tgw-attach-2', two, 'requested')],
      want: [],
    },
    {
      why: 'the other spoke is attached: its range is routed toward the hub',
      attachments: [ours('tgw-attach-1', one), ours('tgw-attach-2', two)],
      want: ['10.2.0.0/16'],
    },
  ])('$why', ({ attachments, want }) => {
    const p = plan(transitPolicy('aws'), estate([one, two], [], { transitHubs: [transitHub('aws')], attachments }));
    const routed = p.actions.flatMap((x) =>
      x.action === 'create-route' && x.target.routeTableId === 'rtb-one' ? [x.target.destination] : [],
    );
    expect(routed).toEqual(want);
  });
});
