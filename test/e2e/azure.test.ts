import { PolicySchema } from '../../shared/policy/schema';
import { AzureWorld, EMULATOR_PRINCIPAL_ID, type Invocation } from './azure-harness';

const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222'; // vended during the test
const PARTNER_SUB = '0b1f6471-1bf0-4dda-aec3-333333333333'; // listed: its requests are reciprocated
const UNLISTED_SUB = '0b1f6471-1bf0-4dda-aec3-999999999999';
const ALICE = 'a11ce000-0000-4000-8000-000000000001'; // a human network admin
const VENDING = 'a11ce000-0000-4000-8000-000000000002'; // the subscription-vending pipeline
const APPLIANCE = '10.0.0.4';

const rg = (sub: string) => `/subscriptions/${sub}/resourceGroups/net`;
const vnetPath = (sub: string, name: string) => `${rg(sub)}/providers/Microsoft.Network/virtualNetworks/${name}`;
const HUB = vnetPath(HUB_SUB, 'hub');
const SPOKE = vnetPath(SPOKE_SUB, 'spoke');
const SPOKE_RT = `${rg(SPOKE_SUB)}/providers/Microsoft.Network/routeTables/spoke-rt`;

const policy = PolicySchema.parse({
  version: 1,
  identities: [EMULATOR_PRINCIPAL_ID],
  providers: { azure: { subscriptions: [HUB_SUB, SPOKE_SUB, PARTNER_SUB] } },
  groups: {
    hub: { cloud: 'azure', account: HUB_SUB, tags: { role: 'hub' } },
    spokes: { cloud: 'azure', account: [SPOKE_SUB, PARTNER_SUB], tags: { role: 'spoke' } },
  },
  connections: [
    {
      name: 'spokes-to-hub',
      topology: 'hub-spoke',
      hub: 'hub',
      spokes: 'spokes',
      approval: 'auto',
      routes: { tables: 'all', azureNextHop: APPLIANCE },
    },
  ],
  unmatchedRequests: 'reject',
});

let world: AzureWorld;
const state = () => world.emu.state;
const half = (vnetId: string, remoteId: string) =>
  [...(state().vnet(vnetId)?.peerings.values() ?? [])].find((h) => h.remoteId.toLowerCase() === remoteId.toLowerCase());
const writes = () => world.emu.calls.writes();
/** The actions a reconcile logged (`reconciled` lines). */
const actionsIn = (invocation: Invocation) =>
  invocation.logs.flatMap(
    (l) => (l.line.actions ?? []) as { action: string; status: string; reason: string; detail?: string }[],
  );
const vnetBody = (cidrs: string[], tags: Record<string, string>, subnets: unknown[] = []) => ({
  location: 'westeurope',
  tags,
  properties: { addressSpace: { addressPrefixes: cidrs }, subnets },
});
const halfState = async (vnetId: string, remoteId: string) => {
  const res = await fetch(
    `${world.emu.url}${vnetId}/virtualNetworkPeerings/${half(vnetId, remoteId)!.name}?api-version=2024-05-01`,
    { headers: { authorization: 'Bearer x' } },
  );
  return ((await res.json()) as { properties: { peeringState: string; peeringSyncLevel: string } }).properties;
};

beforeAll(async () => {
  world = await AzureWorld.start(policy);
  for (const sub of [HUB_SUB, PARTNER_SUB, UNLISTED_SUB]) state().ensureResourceGroup(sub, 'net', 'westeurope');
  state().createVnet({
    subscription: HUB_SUB,
    resourceGroup: 'net',
    name: 'hub',
    location: 'westeurope',
    addressPrefixes: ['10.0.0.0/16'],
    tags: { role: 'hub' },
  });
});
afterAll(() => world.close());

describe('Azure end to end over the ARM emulator with the real handlers', () => {
  it("peers a vended subscription's VNet into the hub-spoke: both halves Connected, the UDR through the appliance written", async () => {
    // The vending pipeline creates the subscription (alias event: no subscription id inside, so the estate is re-checked)…
    state().createSubscription(SPOKE_SUB, { displayName: 'spoke' });
    state().ensureResourceGroup(SPOKE_SUB, 'net', 'westeurope');
    state().createRouteTable({
      subscription: SPOKE_SUB,
      resourceGroup: 'net',
      name: 'spoke-rt',
      location: 'westeurope',
    });
    const alias = aliasEvent('evt-alias-1', world.now());
    expect((await world.event(alias)).result).toMatchObject({ status: 'reconciled', writes: 0 });
    // …then its VNet, with a subnet on a route table peerkeeper manages.
    await world.arm(
      'PUT',
      SPOKE,
      vnetBody(['10.1.0.0/16'], { role: 'spoke' }, [
        { name: 'app', properties: { addressPrefix: '10.1.0.0/24', routeTable: { id: SPOKE_RT } } },
      ]),
      VENDING,
    );
    const [first] = await world.drain();
    expect(first).toMatchObject({ status: 'reconciled' });
    expect(await halfState(SPOKE, HUB)).toMatchObject({ peeringState: 'Connected', peeringSyncLevel: 'FullyInSync' });
    expect(await halfState(HUB, SPOKE)).toMatchObject({ peeringState: 'Connected' });
    expect(state().routeTable(SPOKE_RT)!.routes.get('peerkeeper-10.0.0.0-16')).toMatchObject({
      addressPrefix: '10.0.0.0/16',
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: APPLIANCE,
    });
  });

  it("makes zero writes for peerkeeper's own events (the emulator stamps our principal on them)", async () => {
    expect(world.delivered.length).toBeGreaterThan(2); // the drain above delivered our own writes' events too
    const own = world.emu.events.filter(
      (e) =>
        (e.data.authorization as { evidence: { principalId: string } }).evidence.principalId === EMULATOR_PRINCIPAL_ID,
    );
    expect(own.length).toBeGreaterThanOrEqual(3); // two halves and a route
    const before = { writes: writes(), reads: world.emu.calls.reads() };
    for (const event of own)
      expect((await world.event({ ...event, id: `again-${event.id}` })).result).toMatchObject({ status: 'ignored' });
    expect({ writes: writes(), reads: world.emu.calls.reads() }).toEqual(before);
  });

  it('changes nothing on replayed events: same id → skipped without a call; new id → re-read, zero writes', async () => {
    const vnetEvent = world.emu.events.find((e) => e.data.operationName === 'Microsoft.Network/virtualNetworks/write')!;
    const reads = world.emu.calls.reads();
    const before = writes();
    expect((await world.event(vnetEvent)).result).toEqual({ status: 'duplicate' });
    expect(world.emu.calls.reads()).toBe(reads);
    expect((await world.event({ ...vnetEvent, id: 'evt-replay-new-id' })).result).toMatchObject({
      status: 'reconciled',
      writes: 0,
    });
    expect(writes()).toBe(before);
    expect(world.runtimeBuilds).toBe(1);
  });

  it('reciprocates a half someone else created toward the hub from a listed subscription', async () => {
    const partner = vnetPath(PARTNER_SUB, 'partner');
    state().createVnet({
      subscription: PARTNER_SUB,
      resourceGroup: 'net',
      name: 'partner',
      location: 'westeurope',
      addressPrefixes: ['10.2.0.0/16'],
      tags: { role: 'spoke' },
    });
    await world.arm(
      'PUT',
      `${partner}/virtualNetworkPeerings/to-hub`,
      { properties: { remoteVirtualNetwork: { id: HUB }, allowVirtualNetworkAccess: true } },
      ALICE,
    );
    const results = await world.drain();
    expect(results[0]).toMatchObject({ status: 'reconciled', writes: 1 });
    expect(await halfState(partner, HUB)).toMatchObject({ peeringState: 'Connected' });
    expect(half(HUB, partner)!.name).toBe('peerkeeper-partner');
  });

  it('does not reciprocate a half from an unlisted subscription, and says why', async () => {
    const stranger = vnetPath(UNLISTED_SUB, 'stranger');
    state().createVnet({
      subscription: UNLISTED_SUB,
      resourceGroup: 'net',
      name: 'stranger',
      location: 'westeurope',
      addressPrefixes: ['10.9.0.0/16'],
      tags: { role: 'spoke' },
    });
    await world.arm(
      'PUT',
      `${stranger}/virtualNetworkPeerings/to-hub`,
      { properties: { remoteVirtualNetwork: { id: HUB } } },
      ALICE,
    );
    // Delivered as a tenant-wide (management-group) subscription would: the unlisted subscription has no topic of ours.
    const event = world.inbox.shift()!;
    const before = writes();
    const { result, invocation } = await world.event(event);
    expect(result).toMatchObject({ status: 'reconciled', writes: 0 });
    expect(writes()).toBe(before);
    expect(half(HUB, stranger)).toBeUndefined();
    // The unlisted subscription is never observed, so nothing from it can be treated as ours; the plan says why.
    const problems = invocation.logs.flatMap((l) => (l.line.problems ?? []) as { code: string; message: string }[]);
    expect(problems.find((p) => p.code === 'ungoverned')?.message).toMatch(
      new RegExp(`${UNLISTED_SUB}.*not governed`, 'i'),
    );
    expect(actionsIn(invocation).filter((a) => a.action === 'accept-peering')).toEqual([]);
  });

  it('refuses a spoke whose address space overlaps the hub, with the reason', async () => {
    const overlap = vnetPath(PARTNER_SUB, 'overlap');
    await world.arm('PUT', overlap, vnetBody(['10.0.128.0/20'], { role: 'spoke' }), VENDING);
    const before = writes();
    const { result, invocation } = await world.event(world.inbox.shift()!);
    expect(result).toMatchObject({ status: 'reconciled', writes: 0 });
    expect(half(overlap, HUB)).toBeUndefined();
    expect(half(HUB, overlap)).toBeUndefined();
    const refused = actionsIn(invocation).find((a) => a.action === 'report' && /CIDR overlap/.test(a.reason));
    expect(refused?.reason).toContain('10.0.128.0/20');
    // The sweep-like estate plan (a vending event) says the same.
    const estate = await world.event(aliasEvent('evt-alias-2', world.now()));
    expect(actionsIn(estate.invocation).map((a) => a.reason)).toContain(refused!.reason);
    expect(writes()).toBe(before);
  });

  it('reverts a hand-made change to a managed UDR', async () => {
    await world.arm(
      'PUT',
      `${SPOKE_RT}/routes/peerkeeper-10.0.0.0-16`,
      { properties: { addressPrefix: '10.0.0.0/16', nextHopType: 'Internet' } },
      ALICE,
    );
    const [result] = await world.drain();
    expect(result).toMatchObject({ status: 'reconciled', writes: 1 });
    expect(state().routeTable(SPOKE_RT)!.routes.get('peerkeeper-10.0.0.0-16')).toMatchObject({
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: APPLIANCE,
    });
  });

  it('syncs the peering after an address-space change and routes the new range', async () => {
    await world.arm('PUT', HUB, vnetBody(['10.0.0.0/16', '10.50.0.0/16'], { role: 'hub' }), ALICE);
    expect((await halfState(SPOKE, HUB)).peeringSyncLevel).not.toBe('FullyInSync');
    const syncsBefore = world.emu.events.filter((e) =>
      String((e.data.httpRequest as { url: string }).url).includes('syncRemoteAddressSpace=true'),
    ).length;
    await world.drain();
    const syncs = world.emu.events.filter((e) =>
      String((e.data.httpRequest as { url: string }).url).includes('syncRemoteAddressSpace=true'),
    ).length;
    expect(syncs).toBeGreaterThan(syncsBefore);
    expect(await halfState(SPOKE, HUB)).toMatchObject({ peeringState: 'Connected', peeringSyncLevel: 'FullyInSync' });
    expect(await halfState(HUB, SPOKE)).toMatchObject({ peeringSyncLevel: 'FullyInSync' });
    // The hub's event also writes the spoke's UDR for the new range: route actions name the peer whose range they carry.
    expect(state().routeTable(SPOKE_RT)!.routes.get('peerkeeper-10.50.0.0-16')).toMatchObject({
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: APPLIANCE,
    });
  });

  it('recreates a managed half someone deleted', async () => {
    const partner = vnetPath(PARTNER_SUB, 'partner');
    await world.arm('DELETE', `${HUB}/virtualNetworkPeerings/peerkeeper-partner`, undefined, ALICE);
    expect(await halfState(partner, HUB)).toMatchObject({ peeringState: 'Disconnected' });
    // The hub's event reads the hub alone (DESIGN §12: never every account a group names); the half that is left sits
    // in the spoke's subscription, so the spoke's sweep item is what finds the link broken and recreates it.
    expect(await world.drain()).toEqual([expect.objectContaining({ status: 'reconciled', writes: 0 })]);
    const results = await sweepAll();
    expect(results).toContainEqual(expect.objectContaining({ status: 'reconciled', writes: 2 }));
    expect(await halfState(HUB, partner)).toMatchObject({ peeringState: 'Connected' });
    expect(await halfState(partner, HUB)).toMatchObject({ peeringState: 'Connected' });
  });

  it("recreates a deleted half even where the spoke already has peerkeeper's own UDR to the hub", async () => {
    const name = half(HUB, SPOKE)!.name;
    await world.arm('DELETE', `${HUB}/virtualNetworkPeerings/${name}`, undefined, ALICE);
    const { result } = await world.event(world.inbox.shift()!);
    expect(result).toMatchObject({ status: 'reconciled' });
    await sweepAll();
    // Our own UDR (10.0.0.0/16 → VirtualAppliance 10.0.0.4 in spoke-rt) is not an obstacle to our own peering.
    expect(half(HUB, SPOKE)).toBeDefined();
    expect(await halfState(HUB, SPOKE)).toMatchObject({ peeringState: 'Connected' });
    expect(await halfState(SPOKE, HUB)).toMatchObject({ peeringState: 'Connected' });
  });

  /** One sweep: a work message per governed subscription, each reconciled by the worker. */
  async function sweepAll(): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const message of await world.sweep()) out.push((await world.work(message)).result);
    await world.drain(); // the events of our own writes: no work
    return out;
  }

  it('sweeps: one work message per governed subscription, each reconciled by the worker with zero writes on a converged estate', async () => {
    const messages = await world.sweep();
    expect(messages.map((m) => (m as { trigger: { scope: { account: string } } }).trigger.scope.account)).toEqual(
      [HUB_SUB, SPOKE_SUB, PARTNER_SUB].sort(),
    );
    const before = writes();
    for (const message of messages)
      expect((await world.work(message)).result).toMatchObject({ status: 'reconciled', writes: 0 });
    expect(writes()).toBe(before);
  });
});

/** A subscription alias creation as a subscription topic reports it (Event Grid schema). */
function aliasEvent(id: string, at: Date): unknown {
  return {
    id,
    eventType: 'Microsoft.Resources.ResourceWriteSuccess',
    subject: '/providers/Microsoft.Subscription/aliases/spoke',
    eventTime: at.toISOString(),
    dataVersion: '2',
    metadataVersion: '1',
    topic: `/subscriptions/${HUB_SUB}`,
    data: {
      operationName: 'Microsoft.Subscription/aliases/write',
      status: 'Succeeded',
      resourceUri: '/providers/Microsoft.Subscription/aliases/spoke',
      subscriptionId: HUB_SUB,
      authorization: { evidence: { principalId: VENDING } },
      claims: { oid: VENDING },
    },
  };
}
