import { PolicySchema } from '../../shared/policy/schema';
import { API, AzureWorld, EMULATOR_PRINCIPAL_ID, tokenFor } from './azure-harness';

// Issue 17 end to end on Azure: the real functions connect governed VNets to a Virtual WAN hub, associate and
// propagate them as declared, put back what a person changes, and never touch what is not theirs.
const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222';
const UNLISTED_SUB = '0b1f6471-1bf0-4dda-aec3-999999999999'; // no group lists it
const ALICE = 'a11ce000-0000-4000-8000-000000000001'; // a human network admin
const LOCATION = 'westeurope';

const net = (sub: string, rg = 'net') => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network`;
const vnetPath = (sub: string, name: string) => `${net(sub)}/virtualNetworks/${name}`;
const HUB = `${net(HUB_SUB, 'wan')}/virtualHubs/hub-we`;
const table = (name: string) => `${HUB}/hubRouteTables/${name}`;
const SPOKES = [vnetPath(SPOKE_SUB, 'payments'), vnetPath(HUB_SUB, 'shop')];
const UNLISTED = vnetPath(UNLISTED_SUB, 'rogue');
const SHARED = vnetPath(HUB_SUB, 'shared-services'); // untagged: connected by the network team itself

const policy = PolicySchema.parse({
  version: 1,
  identities: [EMULATOR_PRINCIPAL_ID],
  providers: { azure: { subscriptions: [HUB_SUB, SPOKE_SUB] } },
  groups: { spokes: { cloud: 'azure', account: [HUB_SUB, SPOKE_SUB], tags: { role: 'spoke' } } },
  transitHubs: { core: { cloud: 'azure', account: HUB_SUB, region: LOCATION, id: HUB, associate: 'spokes' } },
  connections: [
    { name: 'spokes-via-wan', topology: 'hub-spoke', hub: 'core', spokes: 'spokes', via: 'transit', approval: 'auto' },
  ],
  unmatchedRequests: 'reject',
});

let world: AzureWorld;
const wan = () => world.emu.state.wan;
const hub = () => wan().hub(HUB)!;
const connectionOf = (vnet: string) => wan().connectionOf(vnet)?.connection;
/** What peerkeeper must never touch: the connections it did not make and every static route of the hub. */
const notOurs = () => ({
  connections: [...hub().connections.values()]
    .filter((c) => !c.name.startsWith('peerkeeper'))
    .map((c) => ({ ...c, propagatedRouteTableIds: [...c.propagatedRouteTableIds] })),
  routes: [...hub().routeTables.values()].map((t) => ({ table: t.name, routes: structuredClone(t.routes) })),
});
let baseline: ReturnType<typeof notOurs>;
const vnetBody = (cidr: string, tags: Record<string, string>) => ({
  location: LOCATION,
  tags,
  properties: { addressSpace: { addressPrefixes: [cidr] } },
});
const connectionBody = (vnet: string, associated: string, propagated: string[]) => ({
  properties: {
    remoteVirtualNetwork: { id: vnet },
    routingConfiguration: {
      associatedRouteTable: { id: table(associated) },
      propagatedRouteTables: { ids: propagated.map((t) => ({ id: table(t) })), labels: [] },
    },
  },
});
const writesDuring = async (work: () => Promise<unknown>) => {
  const before = world.emu.calls.writes();
  await work();
  return world.emu.calls.writes() - before;
};
/** The hub route table as ARM answers it (who is associated with it, who propagates into it). */
const hubTable = async (name: string) => {
  const res = await fetch(`${world.emu.url}${table(name)}?api-version=${API}`, {
    headers: { authorization: `Bearer ${tokenFor(ALICE)}` },
  });
  return ((await res.json()) as { properties: { associatedConnections: string[]; propagatingConnections: string[] } })
    .properties;
};
const lower = (ids: string[]) => ids.map((i) => i.toLowerCase()).sort();

beforeAll(async () => {
  world = await AzureWorld.start(policy);
  for (const sub of [HUB_SUB, SPOKE_SUB, UNLISTED_SUB]) {
    world.emu.state.createSubscription(sub);
    world.emu.state.ensureResourceGroup(sub, 'net', LOCATION);
  }
  const w = wan().createVirtualWan({ subscription: HUB_SUB, resourceGroup: 'wan', name: 'wan', location: LOCATION });
  wan().createVirtualHub({
    subscription: HUB_SUB,
    resourceGroup: 'wan',
    name: 'hub-we',
    location: LOCATION,
    virtualWanId: w.id,
    addressPrefix: '10.100.0.0/23',
  });
  wan().putRouteTable(HUB, 'spokes', { routes: [], labels: ['spokes'] });
  // The network team's own connection and a static route of theirs in the table peerkeeper associates spokes with.
  world.emu.state.createVnet({
    subscription: HUB_SUB,
    resourceGroup: 'net',
    name: 'shared-services',
    location: LOCATION,
    addressPrefixes: ['10.40.0.0/16'],
  });
  wan().putConnection(HUB, 'shared-services', { remoteVnetId: SHARED });
  // A governed spoke VNet someone connected by hand, on the default table: peerkeeper reports it, never re-routes it.
  world.emu.state.createVnet({
    subscription: SPOKE_SUB,
    resourceGroup: 'net',
    name: 'legacy',
    location: LOCATION,
    addressPrefixes: ['10.45.0.0/16'],
    tags: { role: 'spoke' },
  });
  wan().putConnection(HUB, 'legacy-link', { remoteVnetId: vnetPath(SPOKE_SUB, 'legacy') });
  wan().addStaticRoute(HUB, 'spokes', {
    name: 'to-firewall',
    destinations: ['10.99.0.0/16'],
    nextHop: `${HUB}/hubVirtualNetworkConnections/shared-services`,
  });
  baseline = notOurs();
  expect(baseline.connections.map((c) => c.associatedRouteTableId)).toEqual([
    table('defaultRouteTable'),
    table('defaultRouteTable'),
  ]);
});
// Every reconcile below leaves the network team's connection and the hub's static routes exactly as they were.
afterEach(() => {
  expect(notOurs()).toEqual(baseline);
});
afterAll(() => world.close());

describe('Azure Virtual WAN end to end over the ARM emulator with the real functions', () => {
  it("connects each governed spoke VNet from its creation event, associated with and propagating to 'spokes'", async () => {
    for (const [i, vnet] of SPOKES.entries())
      await world.arm('PUT', vnet, vnetBody(`10.${20 + i}.0.0/16`, { role: 'spoke' }), ALICE);
    const results = await world.drain();
    expect(results.filter((r) => (r as { writes?: number }).writes === 1)).toHaveLength(2);
    for (const vnet of SPOKES)
      expect(connectionOf(vnet)).toMatchObject({
        name: expect.stringMatching(/^peerkeeper/) as unknown,
        associatedRouteTableId: table('spokes'),
        propagatedRouteTableIds: [table('spokes')],
        propagatedLabels: [],
      });
    // The hub routes between them: both are associated with 'spokes' and propagate their ranges into it.
    const spokes = await hubTable('spokes');
    const ours = lower(SPOKES.map((v) => `${HUB}/hubVirtualNetworkConnections/${connectionOf(v)!.name}`));
    expect(lower(spokes.associatedConnections)).toEqual(ours);
    expect(lower(spokes.propagatingConnections)).toEqual(ours);
  });

  it('never connects a VNet of a subscription no group lists, even tagged as a spoke and its event delivered', async () => {
    const writes = await writesDuring(async () => {
      await world.arm('PUT', UNLISTED, vnetBody('10.60.0.0/16', { role: 'spoke' }), ALICE);
      await world.drain();
      for (const message of await world.sweep()) await world.work(message);
    });
    expect(writes).toBe(1); // Alice's VNet PUT only
    expect(connectionOf(UNLISTED)).toBeUndefined();
  });

  it('leaves alone a connection someone else made for the unlisted VNet (its write event reconciled, nothing written)', async () => {
    const writes = await writesDuring(async () => {
      await world.arm(
        'PUT',
        `${HUB}/hubVirtualNetworkConnections/rogue`,
        connectionBody(UNLISTED, 'defaultRouteTable', ['defaultRouteTable']),
        ALICE,
      );
      expect(await world.drain()).toEqual([expect.objectContaining({ status: 'reconciled', writes: 0 })]);
      for (const message of await world.sweep()) await world.work(message);
    });
    expect(writes).toBe(1);
    baseline = notOurs(); // the rogue connection is now someone else's: it must stay as Alice made it
    expect(connectionOf(UNLISTED)).toMatchObject({ name: 'rogue', associatedRouteTableId: table('defaultRouteTable') });
  });

  it("puts back an association changed by hand, from the connection's write event", async () => {
    const [vnet] = SPOKES as [string];
    const name = connectionOf(vnet)!.name;
    const writes = await writesDuring(async () => {
      await world.arm(
        'PUT',
        `${HUB}/hubVirtualNetworkConnections/${name}`,
        connectionBody(vnet, 'defaultRouteTable', ['spokes']),
        ALICE,
      );
      await world.drain();
    });
    expect(writes).toBe(2); // Alice's PUT and peerkeeper's
    expect(connectionOf(vnet)).toMatchObject({
      associatedRouteTableId: table('spokes'),
      propagatedRouteTableIds: [table('spokes')],
    });
  });

  it("puts back a propagation changed by hand, from the connection's write event", async () => {
    const vnet = SPOKES[1]!;
    const name = connectionOf(vnet)!.name;
    const writes = await writesDuring(async () => {
      await world.arm(
        'PUT',
        `${HUB}/hubVirtualNetworkConnections/${name}`,
        connectionBody(vnet, 'spokes', ['defaultRouteTable']),
        ALICE,
      );
      await world.drain();
    });
    expect(writes).toBe(2);
    expect(connectionOf(vnet)).toMatchObject({
      associatedRouteTableId: table('spokes'),
      propagatedRouteTableIds: [table('spokes')],
    });
    expect(lower((await hubTable('defaultRouteTable')).propagatingConnections)).not.toContain(
      `${HUB}/hubVirtualNetworkConnections/${name}`.toLowerCase(),
    );
  });

  it('makes no writes on a sweep of the converged estate', async () => {
    const writes = await writesDuring(async () => {
      const messages = await world.sweep();
      expect(messages.length).toBeGreaterThanOrEqual(2);
      for (const message of messages)
        expect((await world.work(message)).result).toMatchObject({ status: 'reconciled', writes: 0 });
    });
    expect(writes).toBe(0);
  });

  it('changes nothing when every event delivered so far is replayed (same ids: skipped; new ids: re-read, no writes)', async () => {
    const events = [...world.delivered] as { id: string }[];
    expect(events.length).toBeGreaterThanOrEqual(8);
    const reads = world.emu.calls.reads();
    const writes = await writesDuring(async () => {
      // Seen ids are skipped (peerkeeper's own writes' events are ignored before that).
      for (const e of events) expect((await world.event(e)).result).toMatchObject({ status: /^(duplicate|ignored)$/ });
    });
    expect({ writes, reads: world.emu.calls.reads() - reads }).toEqual({ writes: 0, reads: 0 });
    const fresh = await writesDuring(async () => {
      for (const [i, e] of events.entries()) await world.event({ ...e, id: `replay-${i}` });
      expect(world.inbox).toEqual([]);
    });
    expect(fresh).toBe(0);
    expect(world.emu.calls.reads()).toBeGreaterThan(reads);
  });
});
