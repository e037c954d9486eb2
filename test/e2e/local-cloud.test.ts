import { halfState, halfTowards } from '../../infra/local/azure/peerings';
import { startLocalCloud, type LocalCloud } from '../../infra/local/cloud';
import { CAST, runScenario, type ScenarioReport } from '../../infra/local/scenario';
import { tgwAttachmentOf, tgwSpokesRoutes } from '../../infra/local/transit-aws';
import { wanConnectionOf, wanDefaultRoutes } from '../../infra/local/transit-azure';
import { TRANSIT_CAST } from '../../infra/local/transit-estate';
import { nccSpokesOf } from '../../infra/local/transit-gcp';
import { countChanges } from '../../shared/planner';
import { runningClock } from '../support/clock';

/** `npm start`, headless: the whole scenario against the three emulators, then the final state of each. */
let cloud: LocalCloud;
let report: ScenarioReport;
const narration: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ now: runningClock().now });
  report = await runScenario(cloud, (line) => narration.push(line));
}, 60_000);
afterAll(() => cloud?.close());

const aws = () => cloud.aws.state;
const routeIn = (table: string, destination: string) =>
  aws()
    .routeTables.get(table)!
    .routes.find((r) => r.destination === destination);
const vnet = (sub: string, name: string) =>
  cloud.azure.state.vnet(
    `/subscriptions/${sub}/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/${name}`,
  )!;

describe('the local cloud scenario (npm start), end to end', () => {
  it('finishes well inside a minute with a final plan of no changes, narrating every step with its timing', async () => {
    expect(report.totalMs).toBeLessThan(30_000);
    expect(report.finalChanges).toBe(0);
    expect(countChanges((await cloud.plan()).plan).changes).toBe(0);
    expect(report.steps.length).toBeGreaterThanOrEqual(10);
    for (const step of report.steps) expect(narration).toContain(`  ✓ ${step.outcome}  (${step.ms} ms)`);
    expect(cloud.bus.deliveries.filter((d) => d.status.startsWith('error'))).toEqual([]);
  });

  it('AWS: the recreated hub–spoke peering is active and the deleted one stays deleted', () => {
    const { ids } = report;
    expect(ids.recreatedPeering).not.toBe(ids.deletedPeering);
    expect(aws().peerings.get(ids.recreatedPeering)!.status).toBe('active');
    expect(aws().peerings.get(ids.deletedPeering)!.status).toBe('deleted');
  });

  it('AWS: the partner approved in chat is active, the stranger rejected', () => {
    expect(aws().peerings.get(report.ids.partnerPeering)!.status).toBe('active');
    expect(aws().peerings.get(report.ids.strangerPeering)!.status).toBe('rejected');
  });

  it('AWS: managed routes point at the live peerings (the deleted and the replaced ones were reverted)', () => {
    const { ids } = report;
    expect(routeIn(ids.spokeTable, CAST.cidrs.hub)).toMatchObject({ vpcPeeringConnectionId: ids.recreatedPeering });
    expect(routeIn(ids.hubTable, CAST.cidrs.spoke)).toMatchObject({ vpcPeeringConnectionId: ids.recreatedPeering });
    expect(routeIn(ids.hubTable, CAST.cidrs.spoke)!.gatewayId).toBeUndefined();
    expect(routeIn(ids.hubTable, CAST.cidrs.partner)).toMatchObject({ vpcPeeringConnectionId: ids.partnerPeering });
    expect(routeIn(ids.hubTable, CAST.cidrs.stranger)).toBeUndefined();
  });

  it("AWS: the hub's S3 gateway endpoint route and transit gateway route are present and untouched", () => {
    const endpoint = [...aws().gateways.values()].find((g) => g.kind === 'endpoint')!;
    expect(routeIn(report.ids.hubTable, 'pl-63a5400a')).toEqual({
      destination: 'pl-63a5400a',
      ipv6: false,
      prefixList: true,
      origin: 'CreateRoute',
      gatewayId: endpoint.id,
    });
    expect(routeIn(report.ids.hubTable, '172.16.0.0/12')).toMatchObject({
      transitGatewayId: expect.stringMatching(/^tgw-/),
      origin: 'CreateRoute',
    });
  });

  it('AWS: the unmanaged default route is untouched', () => {
    const route = routeIn(report.ids.spokeTable, '0.0.0.0/0');
    expect(route).toMatchObject({ gatewayId: 'igw-0f1e2d3c4b5a69788', origin: 'CreateRoute' });
    expect(route!.vpcPeeringConnectionId).toBeUndefined();
  });

  it('Azure: the data mesh has both halves, Connected', () => {
    const a = vnet(CAST.azure.dataA, 'data-a');
    const b = vnet(CAST.azure.dataB, 'data-b');
    const ab = halfTowards(a, b.id);
    const ba = halfTowards(b, a.id);
    expect(ab && halfState(cloud.azure.state, a, ab)).toBe('Connected');
    expect(ba && halfState(cloud.azure.state, b, ba)).toBe('Connected');
  });

  it('GCP: hub and spoke peer each other, both halves ACTIVE, custom routes exchanged', () => {
    const hub = cloud.gcp.state.network(CAST.gcp.hub, 'hub')!;
    const app = cloud.gcp.state.network(CAST.gcp.spoke, 'app')!;
    const toApp = hub.peerings.find((h) => h.peerProject === CAST.gcp.spoke && h.peerNetwork === 'app');
    const toHub = app.peerings.find((h) => h.peerProject === CAST.gcp.hub && h.peerNetwork === 'hub');
    expect(toApp && cloud.gcp.state.peeringState(hub, toApp)).toBe('ACTIVE');
    expect(toHub && cloud.gcp.state.peeringState(app, toHub)).toBe('ACTIVE');
    expect(toApp).toMatchObject({ exportCustomRoutes: true, importCustomRoutes: true });
  });

  it('organization: the account vended into OU Workloads/Prod is peered with the hub, routes both ways, no policy edit', () => {
    const p = [...aws().peerings.values()].find(
      (x) => [x.requester.vpcId, x.accepter.vpcId].includes(report.ids.checkoutVpc) && x.status === 'active',
    );
    expect(p).toBeDefined();
    expect([p!.requester.vpcId, p!.accepter.vpcId]).toContain(report.ids.hubVpc);
    expect(routeIn(report.ids.hubTable, CAST.cidrs.checkout)?.vpcPeeringConnectionId).toBe(p!.id);
    expect(cloud.aws.organization.account(report.ids.checkoutAccount).parentId).toBe(
      cloud.aws.organization.ouByPath('Workloads/Prod')!.id,
    );
  });

  it('organization: the subscription vended under corp › corp-online is paired with both data VNets, Connected', () => {
    const corp = vnet(CAST.azure.corp, 'checkout');
    for (const [sub, name] of [
      [CAST.azure.dataA, 'data-a'],
      [CAST.azure.dataB, 'data-b'],
    ] as const) {
      const other = vnet(sub, name);
      const half = halfTowards(corp, other.id);
      expect(half && halfState(cloud.azure.state, corp, half)).toBe('Connected');
    }
  });

  it('organization: the project vended into folder Apps › Prod peers with the GCP hub, both halves ACTIVE', () => {
    const hub = cloud.gcp.state.network(CAST.gcp.hub, 'hub')!;
    const app = cloud.gcp.state.network(CAST.gcp.apps, 'app')!;
    const toApp = hub.peerings.find((h) => h.peerProject === CAST.gcp.apps);
    const toHub = app.peerings.find((h) => h.peerProject === CAST.gcp.hub);
    expect(toApp && cloud.gcp.state.peeringState(hub, toApp)).toBe('ACTIVE');
    expect(toHub && cloud.gcp.state.peeringState(app, toHub)).toBe('ACTIVE');
  });

  it('chat: the partner peering and the transit attachment, each updated to approved (no buttons left); audited with the approver', async () => {
    expect(cloud.workspace.messages).toHaveLength(2);
    for (const message of cloud.workspace.messages) {
      expect(message.updates).toBeGreaterThanOrEqual(1);
      expect(message.text.toLowerCase()).toContain('approved');
      expect(cloud.workspace.buttonsOf(message)).toEqual([]);
    }
    expect(cloud.workspace.messages.map((m) => m.text.split(' request')[0])).toEqual(['Peering', 'Transit attachment']);
    const audit = await cloud.audit.list();
    expect(
      audit.some((e) => e.action === 'approve' && e.actor === 'slack:U0LOCALNET' && e.outcome === 'approved'),
    ).toBe(true);
  });

  it('the topology picture shows every peering active or rejected and no drift', async () => {
    const topology = await cloud.topology();
    expect(topology.changes).toBe(0);
    expect(topology.edges.every((e) => e.drift.length === 0 && !e.pendingApproval)).toBe(true);
    expect(topology.edges.find((e) => e.id === report.ids.partnerPeering)?.state).toBe('active');
    expect(topology.edges.find((e) => e.id === report.ids.strangerPeering)?.state).toBe('rejected');
    expect(new Set(topology.accounts.map((a) => a.cloud))).toEqual(new Set(['aws', 'azure', 'gcp']));
  });

  describe('transit (issue 17)', () => {
    const T = TRANSIT_CAST;
    const ids = () => report.transit;

    it('AWS: the chat-approved spoke is attached (made in 222222222222, accepted by the TGW owner), associated and propagating into the spokes table', () => {
      const a = tgwAttachmentOf(cloud, ids().aws.spokeVpc)!;
      expect({ id: a.id, state: a.state, association: a.association, propagations: a.propagations }).toEqual({
        id: ids().aws.spokeAttachment,
        state: 'available',
        association: T.aws.spokesTable,
        propagations: [T.aws.spokesTable],
      });
      expect(a.tags.get(T.aws.spoke)).toMatchObject({
        'peerkeeper:managed': 'true',
        'peerkeeper:connection': 'orders-via-tgw',
      });
      expect(tgwSpokesRoutes(cloud).find((r) => r.destination === T.cidrs.awsSpoke)).toMatchObject({
        type: 'propagated',
        attachment: { id: a.id },
      });
    });

    it("AWS: the stranger's attachment is rejected and routes nothing", () => {
      expect(aws().transit.attachments.get(ids().aws.strangerAttachment)).toMatchObject({
        resourceId: ids().aws.strangerVpc,
        state: 'rejected',
      });
      expect(tgwSpokesRoutes(cloud).some((r) => r.destination === T.cidrs.awsStranger)).toBe(false);
    });

    it('AWS: the static route written by hand in the spokes table is still there, untouched', () => {
      expect(tgwSpokesRoutes(cloud).filter((r) => r.destination === T.cidrs.handRoute)).toEqual([
        { destination: T.cidrs.handRoute, type: 'static', state: 'blackhole' },
      ]);
    });

    it("AWS → Azure: the spoke's table routes the Azure range to the TGW, whose spokes table sends it over the VPN; the plan named the path", () => {
      expect(routeIn(ids().aws.spokeTable, T.cidrs.azureSpoke)).toMatchObject({ transitGatewayId: T.aws.tgw });
      expect(tgwSpokesRoutes(cloud).find((r) => r.destination === T.cidrs.azureSpoke)).toMatchObject({
        type: 'propagated',
        state: 'active',
        attachment: { id: T.aws.vpn, resourceType: 'vpn' },
      });
      expect(ids().aws.crossCloudPath).toContain(
        `→ ${T.aws.tgw} → vpn ${T.aws.vpn} → azure-wan (azure hub) → ${T.azure.spoke}/westeurope/orders-eu (orders-eu)`,
      );
    });

    it("Azure: the spoke's hub connection is peerkeeper's, routed as declared again; the unlisted VNet is not connected; the hand route stays", () => {
      const c = wanConnectionOf(cloud, ids().azure.spokeVnet)!;
      expect(c.name).toBe(ids().azure.connection);
      expect(c.name).toMatch(/^peerkeeper-/);
      expect(c.associatedRouteTableId).toBe(`${T.azure.hub}/hubRouteTables/defaultRouteTable`);
      expect(c.propagatedRouteTableIds).toEqual([`${T.azure.hub}/hubRouteTables/defaultRouteTable`]);
      expect(wanConnectionOf(cloud, ids().azure.unlistedVnet)).toBeUndefined();
      expect(cloud.azure.state.vnet(ids().azure.unlistedVnet)).toBeDefined();
      expect(wanDefaultRoutes(cloud)).toEqual([
        expect.objectContaining({ name: 'to-firewall', destinations: [T.cidrs.handRoute] }),
      ]);
    });

    it("every put-back is the real handler's answer to the console change's event; the hand-written hub routes' events write nothing", () => {
      const handled = (c: string, what: string) =>
        cloud.bus.deliveries
          .filter((d) => d.cloud === c && d.what === what && d.status === 'reconciled')
          .map((d) => d.writes);
      expect(handled('aws', 'DisableTransitGatewayRouteTablePropagation')).toEqual([1]);
      expect(handled('azure', 'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write')).toEqual([1]);
      expect(handled('gcp', 'google.cloud.networkconnectivity.v1.HubService.UpdateSpoke')).toEqual([1]);
      expect(handled('aws', 'CreateTransitGatewayRoute')).toEqual([0]);
      expect(handled('azure', 'Microsoft.Network/virtualHubs/hubRouteTables/write')).toEqual([0]);
    });

    it('GCP: the shop spoke is ACTIVE in group default again (the move to quarantine put back); the rogue spoke REJECTED; the hybrid route stays', () => {
      const [spoke, ...others] = nccSpokesOf(cloud, T.gcp.spoke, 'shop');
      expect(others).toEqual([]);
      expect(spoke).toMatchObject({ name: ids().gcp.spoke, hub: T.gcp.hub, state: 'ACTIVE', group: 'default' });
      expect(nccSpokesOf(cloud, T.gcp.stranger, 'edge')).toEqual([
        expect.objectContaining({
          name: ids().gcp.strangerSpoke,
          state: 'INACTIVE',
          reasons: [expect.objectContaining({ code: 'REJECTED' })],
        }),
      ]);
      expect(cloud.gcp.state.ncc.hybridRoutes).toEqual([
        expect.objectContaining({ ipCidrRange: T.cidrs.handRoute, spoke: 'onprem-vpn', routeTable: 'default' }),
      ]);
    });
  });
});
