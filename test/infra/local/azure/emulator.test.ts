import { type AzureEmulator, startAzureEmulator } from '../../../../infra/local/azure';
import peeringCreate from './fixtures/azure-arm-VirtualNetworkPeeringCreate-2024-07-01.json';
import peeringDelete from './fixtures/azure-arm-VirtualNetworkPeeringDelete-2024-05-01.json';
import peeringGet from './fixtures/azure-arm-VirtualNetworkPeeringGet-2024-05-01.json';
import peeringList from './fixtures/azure-arm-VirtualNetworkPeeringList-2024-07-01.json';
import routeTableGet from './fixtures/azure-arm-RouteTableGet-2024-05-01.json';
import deleteEvent from './fixtures/azure-eventgrid-ResourceDeleteSuccess-egschema.json';
import writeEvent from './fixtures/azure-eventgrid-ResourceWriteSuccess-egschema.json';
import { missingPaths } from './shape';

const API = 'api-version=2024-05-01';
const V1 = '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet1';
const V2 = '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vnet2';
const RT = '/subscriptions/sub1/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt1';

let emu: AzureEmulator;
const events: unknown[] = [];

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function arm(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: 'Bearer test' },
): Promise<Reply> {
  const res = await fetch(`${emu.url}${path}${path.includes('?') ? '&' : '?'}${API}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

function peer(remote: string, extra: Record<string, unknown> = {}): unknown {
  return {
    properties: {
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: true,
      allowGatewayTransit: false,
      useRemoteGateways: false,
      remoteVirtualNetwork: { id: remote },
      ...extra,
    },
  };
}

function props(reply: Reply): Record<string, unknown> {
  return reply.body.properties as Record<string, unknown>;
}

beforeAll(async () => {
  emu = await startAzureEmulator({ onEvent: (e) => events.push(e) });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.faults.clear();
  emu.faults.lroPolls = 0;
  emu.state.vnets.clear();
  emu.state.routeTables.clear();
  emu.calls.reset();
  events.length = 0;
  emu.state.createVnet({
    subscription: 'sub1',
    resourceGroup: 'rg1',
    name: 'vnet1',
    location: 'westus',
    addressPrefixes: ['10.1.0.0/16'],
  });
  emu.state.createVnet({
    subscription: 'sub1',
    resourceGroup: 'rg1',
    name: 'vnet2',
    location: 'westus',
    addressPrefixes: ['10.2.0.0/16', 'fd00:2::/48'],
  });
});

describe('bodies match the azure-rest-api-specs examples', () => {
  it('answers a peering PUT, GET and list with every field the spec examples show', async () => {
    const put = await arm('PUT', `${V1}/virtualNetworkPeerings/peer`, peer(V2));
    expect(put.status).toBe(201);
    expect(missingPaths(peeringCreate.responses['201'].body, put.body)).toEqual([]);
    const get = await arm('GET', `${V1}/virtualNetworkPeerings/peer`);
    expect(missingPaths(peeringGet.responses['200'].body, get.body)).toEqual([]);
    const list = await arm('GET', `${V1}/virtualNetworkPeerings`);
    expect(missingPaths(peeringList.responses['200'].body, list.body)).toEqual([]);
  });

  it('answers a route table GET like the spec example, with its subnets', async () => {
    emu.state.createRouteTable({ subscription: 'sub1', resourceGroup: 'rg1', name: 'rt1', location: 'westus' });
    emu.state.addRoute(RT, { name: 'route1', addressPrefix: '10.0.3.0/24', nextHopType: 'VirtualNetworkGateway' });
    emu.state.associateSubnet({ vnetId: V1, name: 'default', addressPrefix: '10.1.0.0/24', routeTableId: RT });
    const get = await arm('GET', RT);
    expect(missingPaths(routeTableGet.responses['200'].body, get.body)).toEqual([]);
    expect(props(get).subnets).toEqual([{ id: `${V1}/subnets/default` }]);
  });

  it('deletes like the spec: 202 with Location and Azure-AsyncOperation, then 204 once gone', async () => {
    await arm('PUT', `${V1}/virtualNetworkPeerings/peer`, peer(V2));
    const first = await arm('DELETE', `${V1}/virtualNetworkPeerings/peer`);
    expect(first.status).toBe(202);
    expect(Object.keys(peeringDelete.responses['202'].headers).every((h) => first.headers.has(h))).toBe(true);
    expect(first.headers.get('azure-asyncoperation')).toMatch(
      /\/providers\/Microsoft\.Network\/locations\/westus\/operations\//,
    );
    expect((await arm('DELETE', `${V1}/virtualNetworkPeerings/peer`)).status).toBe(204);
  });

  it('emits ResourceWriteSuccess / ResourceDeleteSuccess shaped like Event Grid examples, with the operation name', async () => {
    await arm('PUT', `${V1}/virtualNetworkPeerings/peer`, peer(V2));
    await arm('DELETE', `${V1}/virtualNetworkPeerings/peer`);
    const [write, del] = events as Record<string, unknown>[];
    expect(missingPaths(writeEvent[0], write, ['data.claims'])).toEqual([]);
    expect(missingPaths(deleteEvent[0], del, ['data.claims'])).toEqual([]);
    expect(write).toMatchObject({
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      subject: `${V1}/virtualNetworkPeerings/peer`,
      topic: '/subscriptions/sub1',
      data: {
        operationName: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write',
        resourceUri: `${V1}/virtualNetworkPeerings/peer`,
        status: 'Succeeded',
      },
    });
    expect(del).toMatchObject({
      eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
      data: { operationName: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete' },
    });
  });
});

describe('peering halves', () => {
  const cases: Record<
    string,
    { reason: string; steps: (() => Promise<unknown>)[]; want: { v1?: string; v2?: string } }
  > = {
    'one half': {
      reason: 'a half whose remote VNet has no reciprocal half is Initiated',
      steps: [() => arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2))],
      want: { v1: 'Initiated' },
    },
    'both halves': {
      reason: 'when both halves exist both are Connected',
      steps: [
        () => arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2)),
        () => arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1)),
      ],
      want: { v1: 'Connected', v2: 'Connected' },
    },
    'one half deleted': {
      reason: 'deleting one half leaves the other Disconnected',
      steps: [
        () => arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2)),
        () => arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1)),
        () => arm('DELETE', `${V2}/virtualNetworkPeerings/b`),
      ],
      want: { v1: 'Disconnected' },
    },
    'disconnected half updated': {
      reason: 'a PUT on a Disconnected half brings it back to Initiated',
      steps: [
        () => arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2)),
        () => arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1)),
        () => arm('DELETE', `${V2}/virtualNetworkPeerings/b`),
        () => arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2)),
      ],
      want: { v1: 'Initiated' },
    },
  };
  it.each(Object.entries(cases))('%s', async (_name, { steps, want }) => {
    for (const step of steps) await step();
    const v1 = await arm('GET', `${V1}/virtualNetworkPeerings`);
    const v2 = await arm('GET', `${V2}/virtualNetworkPeerings`);
    const state = (r: Reply): string | undefined =>
      (r.body.value as { properties: { peeringState: string } }[])[0]?.properties.peeringState;
    expect({ v1: state(v1), v2: state(v2) }).toEqual({ v1: want.v1, v2: want.v2 });
  });

  it('refuses the reciprocal of a Disconnected half with RemotePeeringIsDisconnected', async () => {
    await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2));
    await arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1));
    await arm('DELETE', `${V2}/virtualNetworkPeerings/b`);
    const again = await arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1));
    expect(again.status).toBe(400);
    expect(again.body.error).toMatchObject({ code: 'RemotePeeringIsDisconnected' });
  });

  it('refuses overlapping address spaces with VnetAddressSpacesOverlap, as ARM writes errors', async () => {
    emu.state.createVnet({
      subscription: 'sub1',
      resourceGroup: 'rg1',
      name: 'vnet3',
      location: 'westus',
      addressPrefixes: ['10.1.128.0/17'],
    });
    const reply = await arm('PUT', `${V1}/virtualNetworkPeerings/c`, peer(V1.replace('vnet1', 'vnet3')));
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body)).toEqual(['error']);
    expect(reply.body.error).toMatchObject({
      code: 'VnetAddressSpacesOverlap',
      message: expect.stringContaining('10.1.128.0/17'),
    });
  });

  it('tracks sync level after an address-space change until ?syncRemoteAddressSpace=true', async () => {
    await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2));
    await arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1));
    const vnet = await arm('PUT', V2, {
      location: 'westus',
      properties: { addressSpace: { addressPrefixes: ['10.2.0.0/16', '10.3.0.0/16'] } },
    });
    expect(vnet.status).toBe(200);
    expect(props(await arm('GET', `${V1}/virtualNetworkPeerings/a`)).peeringSyncLevel).toBe('LocalNotInSync');
    expect(props(await arm('GET', `${V2}/virtualNetworkPeerings/b`)).peeringSyncLevel).toBe('RemoteNotInSync');
    const synced = await arm('PUT', `${V1}/virtualNetworkPeerings/a?syncRemoteAddressSpace=true`, peer(V2));
    expect(props(synced)).toMatchObject({
      peeringSyncLevel: 'FullyInSync',
      remoteAddressSpace: { addressPrefixes: ['10.2.0.0/16', '10.3.0.0/16'] },
    });
    expect(props(await arm('GET', `${V2}/virtualNetworkPeerings/b`)).peeringSyncLevel).toBe('FullyInSync');
  });

  it('allows 500 peerings per VNet and refuses the 501st', () => {
    for (let i = 0; i < 501; i += 1) {
      emu.state.createVnet({
        subscription: 'sub1',
        resourceGroup: 'many',
        name: `v${i}`,
        location: 'westus',
        addressPrefixes: [`10.${100 + Math.floor(i / 256)}.${i % 256}.0/24`],
      });
    }
    const many = (i: number): string =>
      `/subscriptions/sub1/resourceGroups/many/providers/Microsoft.Network/virtualNetworks/v${i}`;
    for (let i = 0; i < 500; i += 1) emu.state.createPeeringHalf(V1, `p${i}`, { remoteId: many(i) });
    expect(() => emu.state.createPeeringHalf(V1, 'p500', { remoteId: many(500) })).toThrow(
      expect.objectContaining({ code: 'PeeringCountLimitReached' }),
    );
  });
});

describe('protocol and faults', () => {
  it('polls an LRO through Azure-AsyncOperation: InProgress, then Succeeded, and locks the VNet meanwhile', async () => {
    emu.faults.lroPolls = 2;
    const put = await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2));
    expect(props(put).provisioningState).toBe('Updating');
    // A second write meanwhile is accepted, then its operation fails with AnotherOperationInProgress (as ARM reports it).
    const busy = await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2));
    expect(busy.status).toBe(200);
    const busyOp = new URL(busy.headers.get('azure-asyncoperation')!).pathname;
    const opPath = new URL(put.headers.get('azure-asyncoperation')!).pathname;
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await arm('GET', opPath)).body.status);
    expect(statuses).toEqual(['InProgress', 'InProgress', 'Succeeded']);
    for (let i = 0; i < 2; i += 1) await arm('GET', busyOp);
    expect((await arm('GET', busyOp)).body).toEqual({
      status: 'Failed',
      error: { code: 'AnotherOperationInProgress', message: expect.stringContaining('another operation') },
    });
    expect(props(await arm('GET', `${V1}/virtualNetworkPeerings/a`)).provisioningState).toBe('Succeeded');
  });

  it('throttles with 429, Retry-After and an ARM error body', async () => {
    emu.faults.throttle({ operation: 'Microsoft.Network/virtualNetworks/read', times: 1, retryAfterSeconds: 7 });
    const first = await arm('GET', V1);
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('7');
    expect(first.body.error).toMatchObject({ code: 'SubscriptionRequestsThrottled' });
    expect((await arm('GET', V1)).status).toBe(200);
  });

  it('pages lists with nextLink and fails a chosen page on demand', async () => {
    emu.faults.pageSize = 1;
    emu.faults.serverError({ pathIncludes: '$skiptoken=1', times: 1 });
    const first = await arm('GET', '/subscriptions/sub1/providers/Microsoft.Network/virtualNetworks');
    expect((first.body.value as unknown[]).length).toBe(1);
    const next = new URL(first.body.nextLink as string);
    const failed = await fetch(next, { headers: { authorization: 'Bearer t' } });
    expect(failed.status).toBe(500);
    const retried = await fetch(next, { headers: { authorization: 'Bearer t' } });
    expect(((await retried.json()) as { value: { name: string }[] }).value[0]!.name).toBe('vnet2');
  });

  it('hides written resources while visibility is delayed', async () => {
    let now = 1_000_000;
    const clocked = await startAzureEmulator({ now: () => new Date(now) });
    try {
      clocked.state.createVnet({
        subscription: 's',
        resourceGroup: 'r',
        name: 'v',
        location: 'westus',
        addressPrefixes: ['10.0.0.0/16'],
      });
      clocked.faults.delayVisibility(5000);
      const path = '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/routeTables/t';
      const put = await fetch(`${clocked.url}${path}?${API}`, {
        method: 'PUT',
        headers: { authorization: 'Bearer t' },
        body: JSON.stringify({ location: 'westus' }),
      });
      expect(put.status).toBe(201);
      expect((await fetch(`${clocked.url}${path}?${API}`, { headers: { authorization: 'Bearer t' } })).status).toBe(
        404,
      );
      now += 5000;
      expect((await fetch(`${clocked.url}${path}?${API}`, { headers: { authorization: 'Bearer t' } })).status).toBe(
        200,
      );
    } finally {
      await clocked.close();
    }
  });

  it('names the caller in events from a JWT oid claim, else from the configured principal', async () => {
    const payload = Buffer.from(JSON.stringify({ oid: 'oid-123', appid: 'app-456', tid: 'tenant-789' })).toString(
      'base64url',
    );
    await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2), { authorization: `Bearer x.${payload}.y` });
    await arm('PUT', `${V2}/virtualNetworkPeerings/b`, peer(V1), { authorization: 'Bearer opaque' });
    const [jwt, opaque] = events as {
      data: { claims: Record<string, string>; authorization: { evidence: { principalId: string } }; tenantId: string };
    }[];
    expect(jwt!.data.claims['http://schemas.microsoft.com/identity/claims/objectidentifier']).toBe('oid-123');
    expect(jwt!.data.claims.appid).toBe('app-456');
    expect(jwt!.data.tenantId).toBe('tenant-789');
    expect(opaque!.data.authorization.evidence.principalId).toBe('0b9a5e1c-7e57-4c0d-9e11-00000000beef');
  });

  it('refuses a request without a bearer token or api-version, and counts calls per operation', async () => {
    expect((await arm('GET', V1, undefined, {})).body.error).toMatchObject({ code: 'AuthenticationFailed' });
    const noVersion = await fetch(`${emu.url}${V1}`, { headers: { authorization: 'Bearer t' } });
    expect(((await noVersion.json()) as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter');
    await arm('GET', V1);
    await arm('PUT', `${V1}/virtualNetworkPeerings/a`, peer(V2));
    expect(emu.calls.count('Microsoft.Network/virtualNetworks/read')).toBe(1);
    expect(emu.calls.writes()).toBe(1);
  });

  it('refuses the 401st route in a table', () => {
    emu.state.createRouteTable({ subscription: 'sub1', resourceGroup: 'rg1', name: 'rt1', location: 'westus' });
    for (let i = 0; i < 400; i += 1)
      emu.state.addRoute(RT, {
        name: `r${i}`,
        addressPrefix: `10.9.${i % 256}.${Math.floor(i / 256) * 16}/28`,
        nextHopType: 'None',
      });
    expect(() => emu.state.addRoute(RT, { name: 'r400', addressPrefix: '10.8.0.0/24', nextHopType: 'None' })).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
