import type { Action, Cloud, Observation, Plan } from '../../shared/model';
import { isMutating } from '../../shared/model';
import { planScope } from '../../shared/planner';
import type { ApprovalState } from '../../shared/planner';
import type { Policy } from '../../shared/policy/schema';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { awsRef, estate, HUB, hubSpokePolicy, network, NOW, otherRoute, peeringRoute } from '../support/estate-builder';
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

const plan = (policy: Policy, observation: Observation, decisions: Map<string, ApprovalState> = new Map()): Plan =>
  planScope({ policy, observation, now: NOW, decisions });
const kinds = (p: Plan) => p.actions.filter((a) => a.action !== 'report').map((a) => a.action);
const reports = (p: Plan) => p.actions.filter((a) => a.action === 'report').map((a) => a.reason);
const CLOUDS: Cloud[] = ['aws', 'azure', 'gcp'];

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

describe('transit routes: AWS spokes route toward the TGW', () => {
  const [a, b] = SPOKE_ACCOUNTS.aws;
  const active = (id: string, n: ReturnType<typeof spokeNetwork>) =>
    attachment(id, n, 'active', { association: 'tgw-rtb-0spokes', propagations: ['tgw-rtb-0spokes'], tags: OURS });

  it.each([
    { why: 'missing: created toward the TGW, naming the path', routes: [], want: 'create-route' },
    { why: 'already toward the TGW: nothing', routes: [otherRoute('10.2.0.0/16', 'tgw-0hub')], want: undefined },
    {
      why: 'pointed at an internet gateway (drift): put back',
      routes: [otherRoute('10.2.0.0/16', 'igw-1')],
      want: 'replace-route',
    },
    {
      why: "through someone's peering: left alone and reported",
      routes: [peeringRoute('10.2.0.0/16', 'pcx-theirs')],
      want: undefined,
    },
  ])('a route to the other spoke that is $why', ({ routes, want }) => {
    const one = spokeNetwork('aws', a, 'one', ['10.1.0.0/16'], routes);
    const two = spokeNetwork('aws', b, 'two', ['10.2.0.0/16']);
    const p = plan(
      transitPolicy('aws'),
      estate([one, two], [], {
        transitHubs: [
          transitHub('aws', [propagated('10.1.0.0/16', 'tgw-attach-1'), propagated('10.2.0.0/16', 'tgw-attach-2')]),
        ],
        attachments: [active('tgw-attach-1', one), active('tgw-attach-2', two)],
      }),
    );
    const inOne = p.actions.filter((x) => 'routeTableId' in x.target && x.target.routeTableId === 'rtb-one');
    expect(inOne.map((x) => x.action)).toEqual(want ? [want] : []);
    const toTwo = p.actions.find((x) => x.action === 'create-route' && x.target.routeTableId === 'rtb-two');
    expect(toTwo).toMatchObject({ target: { destination: '10.1.0.0/16' }, after: { kind: 'other', id: 'tgw-0hub' } });
    if (want === 'create-route') expect(inOne[0]!.reason).toContain('through core (tgw-0hub)');
    if (routes[0]?.target.kind === 'peering') expect(reports(p).join('\n')).toContain('pcx-theirs; left alone');
  });

  it('cross-cloud: ranges the hub reaches over an existing VPN are routed, naming spoke → hub → interconnect → hub', () => {
    const azure = spokeNetwork('azure', SPOKE_ACCOUNTS.azure[0], 'data', ['10.200.0.0/16']);
    const one = spokeNetwork('aws', a, 'one', ['10.1.0.0/16']);
    const policy = transitPolicy('aws', {
      groups: {
        spokes: { cloud: 'aws', account: [a, b], tags: { role: 'spoke' } },
        'azure-data': { cloud: 'azure', account: SPOKE_ACCOUNTS.azure[0] },
      },
      transitHubs: {
        core: {
          cloud: 'aws',
          account: TRANSIT.aws.account,
          region: 'us-east-1',
          id: TRANSIT.aws.id,
          associate: 'tgw-rtb-0spokes',
          reaches: [{ through: 'tgw-attach-vpn', groups: ['azure-data'], via: 'azure-hub' }],
        },
      },
    });
    const hubWith = (
      routes: Parameters<typeof transitHub>[1],
      interconnects = [{ id: 'tgw-attach-vpn', kind: 'vpn' as const, state: 'active' as const }],
    ) =>
      estate([one, azure], [], {
        transitHubs: [transitHub('aws', routes, { interconnects })],
        attachments: [active('tgw-attach-1', one)],
      });
    const vpnRoute = {
      destination: '10.200.0.0/16',
      target: { kind: 'attachment' as const, attachmentId: 'tgw-attach-vpn' },
      origin: 'propagated' as const,
    };

    const routed = plan(policy, hubWith([vpnRoute]));
    const route = routed.actions.find((x) => x.action === 'create-route');
    expect(route).toMatchObject({ target: { destination: '10.200.0.0/16' }, after: { id: 'tgw-0hub' } });
    expect(route!.reason).toMatch(/→ tgw-0hub → vpn tgw-attach-vpn → azure-hub \(azure hub\) →/);

    // The hub's table does not route it yet (BGP down, a static route missing): a spoke route would blackhole.
    const unrouted = plan(policy, hubWith([]));
    expect(unrouted.actions.filter(isMutating)).toEqual([]);
    expect(reports(unrouted).join('\n')).toContain('it would blackhole');
    // peerkeeper never creates interconnects: a missing one is reported.
    const missing = plan(policy, hubWith([vpnRoute], []));
    expect(missing.actions.filter(isMutating)).toEqual([]);
    expect(reports(missing).join('\n')).toContain('never creates interconnects');
  });

  it("cross-cloud from one cloud's function: the other cloud unread, the ranges the hub learns over the VPN are routed", () => {
    // An AWS function reads no Azure network: what the TGW's table routes over the VPN attachment stands in.
    const one = spokeNetwork('aws', a, 'one', ['10.1.0.0/16']);
    const policy = transitPolicy('aws', {
      groups: {
        spokes: { cloud: 'aws', account: [a, b], tags: { role: 'spoke' } },
        'azure-data': { cloud: 'azure', account: SPOKE_ACCOUNTS.azure[0] },
      },
      transitHubs: {
        core: {
          cloud: 'aws',
          account: TRANSIT.aws.account,
          region: 'us-east-1',
          id: TRANSIT.aws.id,
          associate: 'tgw-rtb-0spokes',
          reaches: [{ through: 'tgw-attach-vpn', groups: ['azure-data'], via: 'azure-hub' }],
        },
      },
    });
    const learned = (destination: string) => ({
      destination,
      target: { kind: 'attachment' as const, attachmentId: 'tgw-attach-vpn' },
      origin: 'propagated' as const,
    });
    const p = plan(
      policy,
      estate([one], [], {
        transitHubs: [
          transitHub('aws', [learned('10.200.0.0/16'), learned('0.0.0.0/0')], {
            interconnects: [{ id: 'tgw-attach-vpn', kind: 'vpn', state: 'active' }],
          }),
        ],
        attachments: [active('tgw-attach-1', one)],
      }),
    );
    const routes = p.actions.filter((x) => x.action === 'create-route');
    // Never the whole space a VPN may announce; the learned range with the interconnect named.
    expect(routes.map((r) => (r.target as { destination: string }).destination)).toEqual(['10.200.0.0/16']);
    expect(routes[0]!.reason).toContain(
      '→ vpn tgw-attach-vpn → azure-hub (reached hub): 10.200.0.0/16 as tgw-rtb-0spokes learns it',
    );
  });
});

describe('transit: when to move (quota advice for hub-spoke by peering)', () => {
  it.each([
    { spokes: 10, want: undefined },
    { spokes: 42, want: 'uses 42 of 50 peerings' },
    { spokes: 60, want: 'needs 60 peerings' },
  ])('$spokes spokes on one hub → $want', ({ spokes, want }) => {
    const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], { role: 'hub' });
    const many = Array.from({ length: spokes }, (_, i) =>
      network(awsRef('2222222222' + String(i).padStart(2, '0'), `vpc-s${i}`), [`10.${i + 1}.0.0/16`], {
        role: 'spoke',
      }),
    );
    const p = plan(hubSpokePolicy(), estate([hub, ...many]));
    const advice = reports(p).filter((r) => r.includes('peerings on hub'));
    if (!want) expect(advice).toEqual([]);
    else {
      expect(advice.join('\n')).toContain(want);
      expect(advice.join('\n')).toContain('via: transit');
    }
  });
});

describe('transit: applying the plan converges (the in-memory cloud, every cloud)', () => {
  it.each(CLOUDS)('%s: attach, accept, route; the second plan changes nothing', async (cloud) => {
    const [a, b] = SPOKE_ACCOUNTS[cloud];
    const spokes = [spokeNetwork(cloud, a, 'one', ['10.1.0.0/16']), spokeNetwork(cloud, b, 'two', ['10.2.0.0/16'])];
    const memory = new MemoryCloud(
      { networks: spokes, peerings: [], accounts: [], transitHubs: [transitHub(cloud)] },
      () => NOW,
    );
    const provider = new MemoryProvider(cloud, memory);
    const created = new Map<string, string>();
    const policy = transitPolicy(cloud);
    for (let round = 0; round < 3; round++) {
      const p = plan(policy, memory.snapshot());
      for (const action of p.actions.filter(isMutating)) {
        const out = await provider.apply(action, {
          now: NOW,
          deadline: Number.MAX_SAFE_INTEGER,
          resolvePeeringId: (x, y) => created.get(`${x}|${y}`),
        });
        if (action.action === 'create-attachment' && out.peeringId)
          created.set(
            `${action.target.network.cloud}:${action.target.network.account}:${action.target.network.region}:${action.target.network.id}|${cloud}:${TRANSIT[cloud].account}:${TRANSIT[cloud].region}:${TRANSIT[cloud].id}`,
            out.peeringId,
          );
      }
    }
    const last = plan(policy, memory.snapshot());
    expect(last.actions.filter(isMutating)).toEqual([]);
    expect([...memory.attachments.values()].map((x) => x.state)).toEqual(['active', 'active']);
    if (cloud === 'aws')
      expect(
        memory
          .snapshot()
          .networks.flatMap((n) => n.routeTables.flatMap((t) => t.routes))
          .filter((r) => r.target.kind === 'other' && r.target.id === TRANSIT.aws.id),
      ).toHaveLength(2);
  });
});

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
