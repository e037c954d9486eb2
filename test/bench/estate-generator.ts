import type { Estate, Network, NetworkRef, Peering, Route, RouteTable } from '../../shared/model';
import type { PolicyInput } from '../../shared/policy/schema';

/** When the generated estate was observed (and its snapshot's `observedAt`). */
export const GENERATED_OBSERVED_AT = '2026-11-20T12:00:00.000Z';

/** Where the networks and peerings of a generated estate go, one at a time and in estate order. */
export interface EstateSink {
  network(n: Network): void;
  peering(p: Peering): void;
}

/**
 * A generated estate of `size` networks shaped like a large organization: AWS hub-spoke groups (one hub per
 * 20 spokes — 40 peer routes keeps a hub table under AWS's 50), Azure meshes of 8 VNets, GCP hub-spoke;
 * IPv4 and IPv6; ~5 route tables per AWS network; converged except for 1% route drift and 1% missing peerings.
 * Deterministic: the same size gives the same estate.
 */
export function generateEstate(size: number): { estate: Estate; policy: PolicyInput } {
  const networks: Network[] = [];
  const peerings: Peering[] = [];
  const policy = generateEstateParts(size, { network: (n) => networks.push(n), peering: (p) => peerings.push(p) });
  return {
    estate: {
      version: 1,
      observedAt: GENERATED_OBSERVED_AT,
      complete: true,
      gaps: [],
      accounts: [],
      networks,
      peerings,
    },
    policy,
  };
}

/**
 * `generateEstate` one network and one peering at a time (at most one hub-spoke group of 21 networks held), so
 * that an estate of any size can be written without holding it: 1M networks are ~7 GiB as objects.
 */
export function generateEstateParts(size: number, sink: EstateSink): PolicyInput {
  const groups: PolicyInput['groups'] = {};
  const connections: NonNullable<PolicyInput['connections']> = [];
  let n = 0;
  const v4 = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.0/24`;
  const v6 = (i: number) => `2600:1f18:${(i >> 8).toString(16)}:${((i & 255) << 8).toString(16)}::/56`;
  const table = (id: string, ref: NetworkRef, cidrs: string[], main: boolean, routes: Route[]): RouteTable => ({
    id,
    network: ref,
    main,
    tags: {},
    routes: [
      ...cidrs.map((c): Route => ({
        destination: c,
        target: { kind: 'other', id: 'local' },
        origin: 'system',
        state: 'active',
      })),
      ...routes,
    ],
  });
  const awsShare = Math.floor(size * 0.7);
  const azureShare = Math.floor(size * 0.2);
  // AWS: hub-spoke groups of 21 networks.
  for (let g = 0; n < awsShare; g++) {
    const hubIndex = n++;
    const hubRef: NetworkRef = {
      cloud: 'aws',
      account: String(100000000000 + g),
      region: 'us-east-1',
      id: `vpc-hub${g}`,
    };
    const hubCidrs = [v4(hubIndex), v6(hubIndex)];
    const hubRoutes: Route[] = [
      { destination: '0.0.0.0/0', target: { kind: 'other', id: `igw-${g}` }, origin: 'static', state: 'active' },
    ];
    groups[`hub${g}`] = { cloud: 'aws', account: hubRef.account, tags: { role: 'hub', set: String(g) } };
    groups[`spokes${g}`] = { cloud: 'aws', tags: { role: 'spoke', set: String(g) } };
    connections.push({ name: `set-${g}`, topology: 'hub-spoke', hub: `hub${g}`, spokes: `spokes${g}` });
    const hub: Network = { ref: hubRef, cidrs: hubCidrs, tags: { role: 'hub', set: String(g) }, routeTables: [] };
    // The hub comes first in the estate, but its tables hold a route per spoke: the group is emitted whole.
    const group: Network[] = [hub];
    for (let s = 0; s < 20 && n < awsShare; s++) {
      const i = n++;
      const ref: NetworkRef = { cloud: 'aws', account: String(200000000000 + i), region: 'us-east-1', id: `vpc-s${i}` };
      const cidrs = [v4(i), v6(i)];
      const missing = i % 100 === 7;
      const pcx = `pcx-${i}`;
      if (!missing) {
        sink.peering({
          id: pcx,
          cloud: 'aws',
          requester: ref,
          accepter: hubRef,
          state: 'active',
          options: {},
          tags: { 'peerkeeper:managed': 'true' },
          requesterCidrs: cidrs,
          accepterCidrs: hubCidrs,
        });
        for (const c of cidrs)
          hubRoutes.push({
            destination: c,
            target: { kind: 'peering', peeringId: pcx },
            origin: 'static',
            state: 'active',
          });
      }
      const drift = i % 100 === 3;
      const toHub: Route[] = missing
        ? []
        : hubCidrs.map((c, k) => ({
            destination: c,
            target: drift && k === 0 ? { kind: 'other', id: 'nat-1' } : { kind: 'peering', peeringId: pcx },
            origin: 'static',
            state: 'active',
          }));
      const tables = Array.from({ length: 5 }, (_, t) =>
        table(`rtb-${i}-${t}`, ref, cidrs, t === 0, [
          ...toHub,
          { destination: '0.0.0.0/0', target: { kind: 'other', id: `nat-${i}` }, origin: 'static', state: 'active' },
        ]),
      );
      group.push({ ref, cidrs, tags: { role: 'spoke', set: String(g) }, routeTables: tables });
    }
    hub.routeTables = Array.from({ length: 5 }, (_, t) =>
      table(`rtb-hub${g}-${t}`, hubRef, hubCidrs, t === 0, hubRoutes),
    );
    for (const n of group) sink.network(n);
  }
  // Azure: meshes of 8 VNets (system routes; no UDRs managed).
  for (let m = 0; n < awsShare + azureShare; m++) {
    const sub = `00000000-0000-4000-8000-${String(m).padStart(12, '0')}`;
    groups[`mesh${m}`] = { cloud: 'azure', account: sub };
    connections.push({ name: `mesh-${m}`, topology: 'mesh', members: `mesh${m}` });
    const members: NetworkRef[] = [];
    for (let k = 0; k < 8 && n < awsShare + azureShare; k++) {
      const i = n++;
      const ref: NetworkRef = {
        cloud: 'azure',
        account: sub,
        region: 'westeurope',
        id: `/subscriptions/${sub}/resourcegroups/net/providers/microsoft.network/virtualnetworks/v${i}`,
      };
      sink.network({ ref, cidrs: [v4(i)], tags: {}, routeTables: [] });
      for (const other of members)
        sink.peering({
          id: `${other.id}/virtualnetworkpeerings/peerkeeper-v${i}`,
          cloud: 'azure',
          requester: other,
          accepter: ref,
          state: 'active',
          options: {},
          tags: { 'peerkeeper:managed': 'true' },
        });
      members.push(ref);
    }
  }
  // GCP: one hub network per 20 projects.
  for (let g = 0; n < size; g++) {
    const hubRef: NetworkRef = { cloud: 'gcp', account: `hub-${g}`, region: 'global', id: 'hub' };
    sink.network({ ref: hubRef, cidrs: [v4(n++)], tags: {}, routeTables: [] });
    groups[`ghub${g}`] = { cloud: 'gcp', account: hubRef.account };
    groups[`gspokes${g}`] = { cloud: 'gcp', name: `app-${g}-*` };
    connections.push({ name: `gcp-${g}`, topology: 'hub-spoke', hub: `ghub${g}`, spokes: `gspokes${g}` });
    for (let s = 0; s < 20 && n < size; s++) {
      const i = n++;
      const ref: NetworkRef = { cloud: 'gcp', account: `p-${i}`, region: 'global', id: `app-${g}-${i}` };
      sink.network({ ref, name: ref.id, cidrs: [v4(i)], tags: {}, routeTables: [] });
      sink.peering({
        id: `projects/p-${i}/global/networks/${ref.id}/peerings/peerkeeper-hub`,
        cloud: 'gcp',
        requester: ref,
        accepter: hubRef,
        state: 'active',
        options: {},
        tags: { 'peerkeeper:managed': 'true' },
      });
    }
  }
  return { version: 1, groups, connections, limits: { maxChangesPerRun: 1_000_000 } };
}
