import fc from 'fast-check';
import type { NetworkRef } from '../../../shared/model';
import {
  gcpNetworkRef,
  halvesOf,
  managedPeeringName,
  nextHopId,
  parseNetworkUrl,
  toNetwork,
  toPeerings,
  type GcpNetworkJson,
} from '../../../shared/providers/gcp/toModel';
import gkeNetwork from '../../fixtures/gcp/gcp-compute-networks-get-peerings-ACTIVE-gke.json';
import routeList from '../../fixtures/gcp/gcp-compute-routes-list-with-peering-route.json';

const url = (p: string, n: string): string =>
  `https://www.googleapis.com/compute/v1/projects/${p}/global/networks/${n}`;
const half = (
  name: string,
  p: string,
  n: string,
  state: 'ACTIVE' | 'INACTIVE',
  flags: { e?: boolean; i?: boolean } = {},
) => ({ name, network: url(p, n), state, exportCustomRoutes: flags.e ?? false, importCustomRoutes: flags.i ?? false });
const A = gcpNetworkRef('a-prj', 'net');
const B = gcpNetworkRef('b-prj', 'net');

describe('toPeerings', () => {
  const cases: {
    reason: string;
    nets: [string, GcpNetworkJson][];
    want: { id: string; requester: NetworkRef; state: string; managed: boolean; exportCustomRoutes: boolean };
  }[] = [
    {
      reason: 'one INACTIVE half is a request from its owner',
      nets: [['b-prj', { name: 'net', peerings: [half('peerkeeper-a-prj-net', 'a-prj', 'net', 'INACTIVE')] }]],
      want: {
        id: 'projects/b-prj/global/networks/net/peerings/peerkeeper-a-prj-net',
        requester: B,
        state: 'requested',
        managed: true,
        exportCustomRoutes: false,
      },
    },
    {
      reason: 'one ACTIVE half whose peer is unobserved is active (the peer half must exist)',
      nets: [['b-prj', { name: 'net', peerings: [half('x', 'a-prj', 'net', 'ACTIVE')] }]],
      want: {
        id: 'projects/b-prj/global/networks/net/peerings/x',
        requester: B,
        state: 'active',
        managed: false,
        exportCustomRoutes: false,
      },
    },
    {
      reason: 'both halves: the smaller project/network is the requester, ACTIVE on both sides is active',
      nets: [
        ['b-prj', { name: 'net', peerings: [half('to-a', 'a-prj', 'net', 'ACTIVE', { e: true })] }],
        ['a-prj', { name: 'net', peerings: [half('to-b', 'b-prj', 'net', 'ACTIVE', { e: true })] }],
      ],
      want: {
        id: 'projects/a-prj/global/networks/net/peerings/to-b',
        requester: A,
        state: 'active',
        managed: false,
        exportCustomRoutes: true,
      },
    },
    {
      reason: 'export on one half only is not export for the pair (drift shows)',
      nets: [
        ['a-prj', { name: 'net', peerings: [half('to-b', 'b-prj', 'net', 'ACTIVE', { e: true })] }],
        ['b-prj', { name: 'net', peerings: [half('to-a', 'a-prj', 'net', 'ACTIVE')] }],
      ],
      want: {
        id: 'projects/a-prj/global/networks/net/peerings/to-b',
        requester: A,
        state: 'active',
        managed: false,
        exportCustomRoutes: false,
      },
    },
  ];
  it.each(cases)('$reason', ({ nets, want }) => {
    const peerings = toPeerings(nets.flatMap(([p, n]) => halvesOf(p, [n])));
    expect(peerings).toHaveLength(1);
    const [p] = peerings;
    expect({
      id: p!.id,
      requester: p!.requester,
      state: p!.state,
      managed: p!.tags['peerkeeper:managed'] === 'true',
      exportCustomRoutes: p!.options.exportCustomRoutes,
    }).toEqual(want);
  });

  it('reads the vendor network example: two ACTIVE GKE peerings to unobserved projects', () => {
    const peerings = toPeerings(halvesOf('gcpdiag-gke1-aaaa', [gkeNetwork as GcpNetworkJson]));
    expect(peerings.map((p) => [p.state, p.accepter.account])).toEqual([
      ['active', 'gke-prod-europe-west4-a-55a0'],
      ['active', 'gke-prod-europe-west4-559c'],
    ]);
  });
});

describe('toNetwork', () => {
  it('models vendor routes: nextHopPeering is propagated to the peering, the rest static', () => {
    const net = toNetwork(
      'gcpdiag-gce-vm-performance',
      { name: 'default' },
      [],
      routeList.items,
      (o, n) => `${o.account}/${n}`,
    );
    expect(net.routeTables[0]!.routes.map((r) => [r.destination, r.origin, r.target])).toEqual([
      [
        '0.0.0.0/0',
        'static',
        { kind: 'other', id: 'gateway:projects/gcpdiag-gce-vm-performance/global/gateways/default-internet-gateway' },
      ],
      [
        '192.168.0.0/26',
        'propagated',
        { kind: 'peering', peeringId: 'gcpdiag-gce-vm-performance/peering-r544dd974f1bc5396-tp-default' },
      ],
      [
        '35.190.247.13/32',
        'static',
        { kind: 'other', id: 'gateway:projects/gcpdiag-gce-vm-performance/global/gateways/default-internet-gateway' },
      ],
    ]);
  });

  it('collects primary, secondary and IPv6 ranges of its own subnets only', () => {
    const net = toNetwork(
      'p',
      { name: 'n' },
      [
        {
          network: url('p', 'n'),
          ipCidrRange: '10.0.0.0/24',
          secondaryIpRanges: [{ rangeName: 's', ipCidrRange: '10.8.0.0/16' }],
          internalIpv6Prefix: 'fd20::/64',
        },
        { network: url('p', 'other'), ipCidrRange: '10.9.0.0/24' },
      ],
      [],
      () => 'x',
    );
    expect(net.cidrs).toEqual(['10.0.0.0/24', '10.8.0.0/16', 'fd20::/64']);
  });
});

describe('names and URLs', () => {
  it('gives managed peerings valid Compute names of at most 63 characters', () => {
    const part = fc.stringMatching(/^[a-z][a-z0-9-]{0,61}[a-z0-9]$/);
    fc.assert(
      fc.property(part, part, (project, network) => {
        const name = managedPeeringName(gcpNetworkRef(project, network));
        return name.length <= 63 && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) && name.startsWith('peerkeeper-');
      }),
    );
  });

  it('parses network URLs of any host and partial paths', () => {
    expect(parseNetworkUrl('https://compute.googleapis.com/compute/v1/projects/p/global/networks/n')).toEqual({
      project: 'p',
      network: 'n',
    });
    expect(parseNetworkUrl('projects/p/global/networks/n')).toEqual({ project: 'p', network: 'n' });
    expect(parseNetworkUrl('projects/p/regions/r/subnetworks/s')).toBeUndefined();
    expect(nextHopId({ name: 'r', network: '', destRange: '', nextHopIlb: '10.0.0.9' })).toBe('ilb:10.0.0.9');
  });
});
