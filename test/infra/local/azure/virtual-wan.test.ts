import { type AzureEmulator, startAzureEmulator } from '../../../../infra/local/azure';
import { testClock } from '../../../support/clock';

// The ARM emulator's Virtual WAN subset over the wire: LROs, locks, ARM's refusals and what it does not refuse.
const API = 'api-version=2024-05-01';
const S1 = 'sub1';
const S2 = 'sub2';
const NET = (sub: string) => `/subscriptions/${sub}/resourceGroups/rg1/providers/Microsoft.Network`;
const vnetId = (sub: string, name: string) => `${NET(sub)}/virtualNetworks/${name}`;

let emu: AzureEmulator;
let hub = '';
let otherHub = '';
const clock = testClock();

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function arm(method: string, path: string, body?: unknown): Promise<Reply> {
  const res = await fetch(`${emu.url}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const connect = (remote: string, routing?: unknown) => ({
  properties: { remoteVirtualNetwork: { id: remote }, ...(routing ? { routingConfiguration: routing } : {}) },
});
const table = (h: string, name: string) => `${h}/hubRouteTables/${name}`;
const props = (reply: Reply) => reply.body.properties as Record<string, unknown>;
const errorCode = (reply: Reply) => (reply.body.error as { code: string }).code;

beforeAll(async () => {
  emu = await startAzureEmulator({ now: clock.now });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.state.wan.hubs.clear();
  emu.state.vnets.clear();
  emu.state.operations.clear();
  emu.faults.clear();
  emu.state.lroPolls = 0;
  for (const sub of [S1, S2]) {
    const wan = emu.state.wan.createVirtualWan({
      subscription: sub,
      resourceGroup: 'rg1',
      name: 'wan',
      location: 'westeurope',
    });
    const created = emu.state.wan.createVirtualHub({
      subscription: sub,
      resourceGroup: 'rg1',
      name: 'hub',
      location: 'westeurope',
      virtualWanId: wan.id,
      addressPrefix: '10.100.0.0/23',
    });
    if (sub === S1) hub = created.id;
    else otherHub = created.id;
  }
  emu.state.wan.putRouteTable(hub, 'spokes', { routes: [], labels: ['blue'] });
  for (const [name, cidr] of [
    ['a', '10.1.0.0/16'],
    ['b', '10.2.0.0/16'],
    ['c', '10.1.128.0/17'],
  ] as const)
    emu.state.createVnet({
      subscription: S1,
      resourceGroup: 'rg1',
      name,
      location: 'westeurope',
      addressPrefixes: [cidr],
    });
});

describe('hub connections', () => {
  it('creates as a long-running operation: 201 Updating with Azure-AsyncOperation, InProgress, then Succeeded', async () => {
    emu.state.lroPolls = 1;
    const put = await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    expect(put.status).toBe(201);
    expect(props(put).provisioningState).toBe('Updating');
    const poll = put.headers.get('azure-asyncoperation')!;
    expect(poll).toContain('/providers/Microsoft.Network/locations/westeurope/operations/');
    // The hub is locked while the write runs: ARM answers 409 AnotherOperationInProgress.
    const busy = await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-b`, connect(vnetId(S1, 'b')));
    expect([busy.status, errorCode(busy)]).toEqual([409, 'AnotherOperationInProgress']);
    const poll1 = (await (await fetch(poll, { headers: { authorization: 'Bearer t' } })).json()) as { status: string };
    const poll2 = (await (await fetch(poll, { headers: { authorization: 'Bearer t' } })).json()) as { status: string };
    expect([poll1.status, poll2.status]).toEqual(['InProgress', 'Succeeded']);
    const got = await arm('GET', `${hub}/hubVirtualNetworkConnections/conn-a`);
    expect(props(got).provisioningState).toBe('Succeeded');
  });

  it("gives Azure's default routing when none is sent: defaultRouteTable, label default", async () => {
    const put = await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    expect(props(put).routingConfiguration).toMatchObject({
      associatedRouteTable: { id: table(hub, 'defaultRouteTable') },
      propagatedRouteTables: { ids: [{ id: table(hub, 'defaultRouteTable') }], labels: ['default'] },
    });
  });

  it('lists associated and propagating connections per hub route table, by id and by label', async () => {
    await arm(
      'PUT',
      `${hub}/hubVirtualNetworkConnections/conn-a`,
      connect(vnetId(S1, 'a'), {
        associatedRouteTable: { id: table(hub, 'spokes') },
        propagatedRouteTables: { ids: [{ id: table(hub, 'noneRouteTable') }], labels: ['blue'] },
      }),
    );
    const tables = await arm('GET', `${hub}/hubRouteTables`);
    const byName = Object.fromEntries(
      (tables.body.value as { name: string; properties: Record<string, string[]> }[]).map((t) => [
        t.name,
        t.properties,
      ]),
    );
    const conn = `${hub}/hubVirtualNetworkConnections/conn-a`;
    expect(byName.spokes).toMatchObject({
      associatedConnections: [conn],
      propagatingConnections: [conn],
      labels: ['blue'],
    });
    expect(byName.noneRouteTable).toMatchObject({ associatedConnections: [], propagatingConnections: [conn] });
    expect(byName.defaultRouteTable).toMatchObject({ associatedConnections: [], propagatingConnections: [] });
  });

  it('refuses a second connection of one VNet, to this hub or another, naming the first', async () => {
    await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    for (const where of [`${hub}/hubVirtualNetworkConnections/again`, `${otherHub}/hubVirtualNetworkConnections/x`]) {
      const again = await arm('PUT', where, connect(vnetId(S1, 'a')));
      expect([again.status, errorCode(again)]).toEqual([400, 'VirtualNetworkAlreadyConnectedToHub']);
      expect((again.body.error as { message: string }).message).toContain('conn-a');
    }
    // Re-PUT of the same connection is an update, not a second connection.
    expect((await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')))).status).toBe(200);
  });

  it('accepts a VNet whose range overlaps another connected VNet (ARM does not refuse; the planner guards it)', async () => {
    await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    expect((await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-c`, connect(vnetId(S1, 'c')))).status).toBe(201);
  });

  it('refuses a missing remote VNet and a route table of another hub', async () => {
    const missing = await arm('PUT', `${hub}/hubVirtualNetworkConnections/x`, connect(vnetId(S1, 'nope')));
    expect([missing.status, errorCode(missing)]).toEqual([400, 'InvalidResourceReference']);
    const foreignTable = await arm(
      'PUT',
      `${hub}/hubVirtualNetworkConnections/x`,
      connect(vnetId(S1, 'a'), { associatedRouteTable: { id: table(otherHub, 'defaultRouteTable') } }),
    );
    expect([foreignTable.status, errorCode(foreignTable)]).toEqual([400, 'InvalidResourceReference']);
    expect(emu.state.wan.hub(hub)!.connections.size).toBe(0);
  });

  it('deletes as an LRO (202 with Azure-AsyncOperation), then answers 204 and 404 NotFound', async () => {
    await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    const del = await arm('DELETE', `${hub}/hubVirtualNetworkConnections/conn-a`);
    expect(del.status).toBe(202);
    expect(del.headers.get('azure-asyncoperation')).toBeTruthy();
    expect((await arm('DELETE', `${hub}/hubVirtualNetworkConnections/conn-a`)).status).toBe(204);
    const gone = await arm('GET', `${hub}/hubVirtualNetworkConnections/conn-a`);
    expect([gone.status, errorCode(gone)]).toEqual([404, 'NotFound']);
    // The VNet may connect again once its connection is gone.
    expect((await arm('PUT', `${otherHub}/hubVirtualNetworkConnections/x`, connect(vnetId(S1, 'a')))).status).toBe(201);
  });

  it('pages connection lists with nextLink', async () => {
    for (const name of ['a', 'b', 'c'])
      await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-${name}`, connect(vnetId(S1, name)));
    emu.faults.pageSize = 2;
    const first = await arm('GET', `${hub}/hubVirtualNetworkConnections`);
    expect((first.body.value as unknown[]).length).toBe(2);
    const next = await fetch(first.body.nextLink as string, { headers: { authorization: 'Bearer t' } });
    const second = (await next.json()) as { value: { name: string }[]; nextLink?: string };
    expect([second.value.map((c) => c.name), second.nextLink]).toEqual([['conn-c'], undefined]);
  });
});

describe('hubs and hub route tables', () => {
  it('lists hubs per subscription and per resource group, and answers ResourceNotFound for a missing hub', async () => {
    const bySub = await arm('GET', `/subscriptions/${S1}/providers/Microsoft.Network/virtualHubs`);
    expect((bySub.body.value as { id: string }[]).map((h) => h.id)).toEqual([hub]);
    const byGroup = await arm('GET', `${NET(S2)}/virtualHubs`);
    expect((byGroup.body.value as { id: string }[]).map((h) => h.id)).toEqual([otherHub]);
    const missing = await arm('GET', `${NET(S1)}/virtualHubs/nope`);
    expect([missing.status, errorCode(missing)]).toEqual([404, 'ResourceNotFound']);
  });

  it('writes static routes through PUT (an event), refusing a destination that is not a CIDR', async () => {
    const route = {
      name: 'fw',
      destinationType: 'CIDR',
      nextHopType: 'ResourceId',
      nextHop: `${NET(S1)}/azureFirewalls/fw`,
    };
    const put = await arm('PUT', table(hub, 'spokes'), {
      properties: { labels: ['blue'], routes: [{ ...route, destinations: ['0.0.0.0/0'] }] },
    });
    expect(put.status).toBe(200);
    expect(props(put).routes).toEqual([{ ...route, destinations: ['0.0.0.0/0'] }]);
    expect(emu.events.at(-1)?.data.operationName).toBe('Microsoft.Network/virtualHubs/hubRouteTables/write');
    const bad = await arm('PUT', table(hub, 'spokes'), {
      properties: { routes: [{ ...route, destinations: ['ten'] }] },
    });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'InvalidRequestFormat']);
  });

  it('names the calls by their RBAC operations', async () => {
    emu.calls.reset();
    await arm('GET', `/subscriptions/${S1}/providers/Microsoft.Network/virtualHubs`);
    await arm('GET', `${hub}/hubRouteTables`);
    await arm('PUT', `${hub}/hubVirtualNetworkConnections/conn-a`, connect(vnetId(S1, 'a')));
    expect(emu.calls.snapshot()).toEqual({
      'Microsoft.Network/virtualHubs/hubRouteTables/read': 1,
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/write': 1,
      'Microsoft.Network/virtualHubs/read': 1,
    });
  });
});
