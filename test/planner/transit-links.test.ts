import type { Action } from '../../shared/model';
import { isMutating } from '../../shared/model';
import type { ApprovalState } from '../../shared/planner';
import { estate } from '../support/estate-builder';
import {
  attachment,
  hubRef,
  OURS,
  propagated,
  SPOKE_ACCOUNTS,
  spokeNetwork,
  TRANSIT,
  transitHub,
  transitPolicy,
} from '../support/transit-builder';
import {
  attachmentKinds as kinds,
  planAt as plan,
  reportsOf as reports,
  TRANSIT_CLOUDS as CLOUDS,
} from '../support/transit-plan';

// Transit links (issue 17): attaching declared spokes, overlap guards, ownership and drift, chat approval.
describe('transit links: attaching declared spokes', () => {
  it.each([
    // AWS and NCC: another account's attachment waits for the hub's owner, so the plan accepts what it creates.
    { cloud: 'aws' as const, want: ['create-attachment', 'accept-attachment'] },
    { cloud: 'gcp' as const, want: ['create-attachment', 'accept-attachment'] },
    // Azure: the hub's owner creates the connection; there is nothing to accept.
    { cloud: 'azure' as const, want: ['create-attachment'] },
  ])('$cloud: a new spoke in another account is attached and accepted as the cloud needs', ({ cloud, want }) => {
    const spoke = spokeNetwork(cloud, SPOKE_ACCOUNTS[cloud][0], 'pay', ['10.1.0.0/16']);
    const p = plan(transitPolicy(cloud), estate([spoke], [], { transitHubs: [transitHub(cloud)] }));
    expect(kinds(p)).toEqual(want);
    const create = p.actions.find((a) => a.action === 'create-attachment') as Extract<
      Action,
      { action: 'create-attachment' }
    >;
    expect(create.after.routing.association).toBe(TRANSIT[cloud].tables[0]);
    expect(create.after.routing.propagations).toEqual(cloud === 'gcp' ? [] : [TRANSIT[cloud].tables[0]]);
    expect(create.after.tags['peerkeeper:managed']).toBe('true');
    expect(create.reason).toContain('spokes-via-hub');
  });

  it("a spoke in the hub's own account needs no accept", () => {
    const spoke = spokeNetwork('aws', TRANSIT.aws.account, 'shared', ['10.9.0.0/16']);
    const p = plan(transitPolicy('aws'), estate([spoke], [], { transitHubs: [transitHub('aws')] }));
    expect(kinds(p)).toEqual(['create-attachment']);
  });

  it('a pending attachment of a declared spoke is accepted with the declared routing and our tags', () => {
    const spoke = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
    const p = plan(
      transitPolicy('aws'),
      estate([spoke], [], {
        transitHubs: [transitHub('aws')],
        attachments: [attachment('tgw-attach-1', spoke, 'requested')],
      }),
    );
    expect(p.actions).toEqual([
      expect.objectContaining({
        action: 'accept-attachment',
        target: { id: 'tgw-attach-1', hub: hubRef('aws'), network: spoke.ref },
        after: { routing: { association: 'tgw-rtb-0spokes', propagations: ['tgw-rtb-0spokes'] }, tags: OURS },
      }),
    ]);
  });

  it.each(CLOUDS.filter((c) => c !== 'azure'))(
    '%s: a request from a network in no transit connection is rejected',
    (cloud) => {
      const stranger = spokeNetwork(cloud, SPOKE_ACCOUNTS[cloud][2], 'stranger', ['10.50.0.0/16']);
      const p = plan(
        transitPolicy(cloud),
        estate([], [], {
          transitHubs: [transitHub(cloud)],
          attachments: [attachment('a-stranger', stranger, 'requested')],
        }),
      );
      expect(p.actions).toEqual([
        expect.objectContaining({ action: 'reject-attachment', target: expect.objectContaining({ id: 'a-stranger' }) }),
      ]);
      expect(p.actions[0]!.reason).toContain('no transit connection');
    },
  );
});

describe('transit links: overlap guards against everything the hub routes', () => {
  const cloud = 'aws' as const;
  const [a, b] = SPOKE_ACCOUNTS.aws;
  it.each([
    {
      why: "another spoke's propagated range",
      routes: [propagated('10.1.0.0/16', 'tgw-attach-other')],
      expect: 'propagated route 10.1.0.0/16',
    },
    {
      why: "someone's static route in the hub (never touched, always an obstacle)",
      routes: [
        {
          destination: '10.1.128.0/17',
          target: { kind: 'other' as const, id: 'tgw-attach-vpn' },
          origin: 'static' as const,
        },
      ],
      expect: 'static route 10.1.128.0/17',
    },
  ])('a new spoke overlapping $why is not attached, and its request is rejected', ({ routes, expect: text }) => {
    const spoke = spokeNetwork(cloud, a, 'pay', ['10.1.0.0/16']);
    const fresh = plan(transitPolicy(cloud), estate([spoke], [], { transitHubs: [transitHub(cloud, routes)] }));
    expect(kinds(fresh)).toEqual([]);
    expect(reports(fresh).join('\n')).toContain(text);
    const pending = plan(
      transitPolicy(cloud),
      estate([spoke], [], {
        transitHubs: [transitHub(cloud, routes)],
        attachments: [attachment('tgw-attach-1', spoke, 'requested')],
      }),
    );
    expect(kinds(pending)).toEqual(['reject-attachment']);
    expect(pending.actions.find((x) => x.action === 'reject-attachment')!.reason).toContain(text);
  });

  it('of two new overlapping spokes the first by key is attached and the other refused, in one plan', () => {
    const first = spokeNetwork(cloud, a, 'aaa', ['10.7.0.0/16']);
    const second = spokeNetwork(cloud, b, 'bbb', ['10.7.0.0/24']);
    const p = plan(transitPolicy(cloud), estate([second, first], [], { transitHubs: [transitHub(cloud)] }));
    const created = p.actions
      .filter((x) => x.action === 'create-attachment')
      .map((x) => (x as { target: { network: { id: string } } }).target.network.id);
    expect(created).toEqual(['vpc-aaa']);
    expect(reports(p).join('\n')).toContain('10.7.0.0/24 of');
  });

  it('an attached spoke keeps its range: a request overlapping it is rejected, the attached one is left alone', () => {
    const attached = spokeNetwork(cloud, a, 'old', ['10.8.0.0/16']);
    const newcomer = spokeNetwork(cloud, b, 'new', ['10.8.0.0/16']);
    const p = plan(
      transitPolicy(cloud),
      estate([attached, newcomer], [], {
        transitHubs: [transitHub(cloud, [propagated('10.8.0.0/16', 'tgw-attach-old')])],
        attachments: [
          attachment('tgw-attach-old', attached, 'active', {
            association: 'tgw-rtb-0spokes',
            propagations: ['tgw-rtb-0spokes'],
            tags: OURS,
          }),
          attachment('tgw-attach-new', newcomer, 'requested'),
        ],
      }),
    );
    expect(kinds(p)).toEqual(['reject-attachment']);
    expect(p.actions.find((x) => x.action === 'reject-attachment')!.target).toMatchObject({ id: 'tgw-attach-new' });
  });

  it('a spoke overlapping a range another cloud reaches through the hub is refused, naming the other cloud', () => {
    const azure = spokeNetwork('azure', SPOKE_ACCOUNTS.azure[0], 'data', ['10.200.0.0/16']);
    const spoke = spokeNetwork(cloud, a, 'clash', ['10.200.0.0/20']);
    const policy = transitPolicy(cloud, {
      groups: {
        spokes: { cloud, account: [a, b], tags: { role: 'spoke' } },
        'azure-data': { cloud: 'azure', account: SPOKE_ACCOUNTS.azure[0] },
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
    const p = plan(policy, estate([spoke, azure], [], { transitHubs: [transitHub(cloud)] }));
    expect(kinds(p)).toEqual([]);
    expect(reports(p).join('\n')).toMatch(
      /10\.200\.0\.0\/20 .* overlaps 10\.200\.0\.0\/16 \(azure .* reached through tgw-attach-vpn\)/,
    );
  });
});

describe('transit links: ownership and drift', () => {
  const spoke = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
  const drifted = { association: 'tgw-rtb-0shared', propagations: ['tgw-rtb-0shared'] };
  const observed = (tags: Record<string, string>) =>
    estate([spoke], [], {
      transitHubs: [transitHub('aws')],
      attachments: [attachment('tgw-attach-1', spoke, 'active', { ...drifted, tags })],
    });

  it('our attachment associated and propagating elsewhere (out of band) is put back', () => {
    const p = plan(transitPolicy('aws'), observed(OURS));
    expect(p.actions.filter(isMutating)).toEqual([
      expect.objectContaining({
        action: 'update-attachment',
        before: drifted,
        after: { association: 'tgw-rtb-0spokes', propagations: ['tgw-rtb-0spokes'] },
      }),
    ]);
  });

  it.each([
    {
      why: 'an attachment peerkeeper does not own is never changed',
      tags: {},
      policy: transitPolicy('aws'),
      text: "not peerkeeper's",
    },
    {
      why: 'drift.peerings: report only reports our drifted attachment',
      tags: OURS,
      policy: transitPolicy('aws', { drift: { peerings: 'report', routes: 'revert', unknownPeerings: 'report' } }),
      text: 'reported only',
    },
  ])('$why', ({ tags, policy, text }) => {
    const p = plan(policy, observed(tags));
    expect(p.actions.filter(isMutating)).toEqual([]);
    expect(reports(p).join('\n')).toContain(text);
  });

  it('a declared hub that is not there is an error, and nothing is attached', () => {
    const p = plan(transitPolicy('aws'), estate([spoke]));
    expect(kinds(p)).toEqual([]);
    expect(reports(p).join('\n')).toContain('was not found');
  });
});

describe('transit links: approval by chat', () => {
  const spoke = spokeNetwork('aws', SPOKE_ACCOUNTS.aws[0], 'pay', ['10.1.0.0/16']);
  const policy = transitPolicy('aws', {}, { approval: 'chat' });
  const base = estate([spoke], [], { transitHubs: [transitHub('aws')] });
  const approvalId = `attach:aws:${spoke.ref.account}:us-east-1:vpc-pay@tgw-0hub`;

  it.each([
    {
      why: 'no decision yet: ask, attach nothing',
      decisions: new Map<string, ApprovalState>(),
      want: ['request-approval'],
    },
    {
      why: 'still waiting: report, no second message',
      decisions: new Map([[approvalId, 'pending' as const]]),
      want: [],
    },
    {
      why: 'approved: attach and accept',
      decisions: new Map([[approvalId, 'approved' as const]]),
      want: ['create-attachment', 'accept-attachment'],
    },
    { why: 'rejected: nothing', decisions: new Map([[approvalId, 'rejected' as const]]), want: [] },
  ])('$why', ({ decisions, want }) => {
    const p = plan(policy, base, decisions);
    expect(kinds(p)).toEqual(want);
    const ask = p.actions.find((a) => a.action === 'request-approval');
    if (ask) expect(ask).toMatchObject({ link: 'attachment', target: { id: approvalId, accepter: hubRef('aws') } });
  });

  it("a pending attachment's own approval decides it: rejected → reject-attachment", () => {
    const p = plan(
      policy,
      { ...base, attachments: [attachment('tgw-attach-9', spoke, 'requested')] },
      new Map([['tgw-attach-9', 'rejected' as const]]),
    );
    expect(kinds(p)).toEqual(['reject-attachment']);
  });
});
