import { isMutating } from '../../shared/model';
import { MemoryCloud, MemoryProvider } from '../../shared/providers/memory';
import { awsRef, estate, HUB, hubSpokePolicy, network, NOW, otherRoute, peeringRoute } from '../support/estate-builder';
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
import { planAt as plan, reportsOf as reports, TRANSIT_CLOUDS as CLOUDS } from '../support/transit-plan';

// Transit routes toward the hub, the advice on when to move, and convergence through the in-memory cloud.
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
