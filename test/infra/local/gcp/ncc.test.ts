import { startGcpEmulator, type GcpEmulator } from '../../../../infra/local/gcp';
import { testClock, type TestClock } from '../../../support/clock';

const HUB = 'projects/hub-prj/locations/global/hubs/core';
const NET = (project: string, network: string) =>
  `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${network}`;

describe('GCP emulator: Network Connectivity Center on the wire', () => {
  let emu: GcpEmulator;
  let clock: TestClock;
  const events: { data: { protoPayload: Record<string, unknown>; operation: Record<string, unknown> } }[] = [];
  const call = async (verb: string, path: string, body?: unknown) => {
    const res = await fetch(`${emu.url}/networkconnectivity/v1/${path}`, {
      method: verb,
      headers: { 'content-type': 'application/json', 'x-emulator-principal': 'alice@example.com' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const spoke = (network: string, extra: Record<string, unknown> = {}) => ({
    hub: HUB,
    linkedVpcNetwork: { uri: NET('spoke-prj', network) },
    ...extra,
  });
  const finish = () => clock.advance(1_000);

  beforeEach(async () => {
    clock = testClock();
    events.length = 0;
    emu = await startGcpEmulator({ now: clock.now, onEvent: (e) => events.push(e as (typeof events)[number]) });
    for (const [project, network, cidr] of [
      ['spoke-prj', 'pay', '10.1.0.0/16'],
      ['spoke-prj', 'ops', '10.1.128.0/17'],
      ['spoke-prj', 'web', '10.2.0.0/16'],
      ['hub-prj', 'shared', '10.3.0.0/16'],
    ] as const) {
      emu.state.createNetwork({ project, name: network });
      emu.state.createSubnetwork({ project, region: 'europe-west1', network, name: `${network}-a`, ipCidrRange: cidr });
    }
    emu.state.ncc.createHub({ project: 'hub-prj', name: 'core' });
  });
  afterEach(async () => {
    await emu.close();
  });

  it('answers errors as One Platform APIs do: 403 for an unseen project, 404 NOT_FOUND, no Compute `errors` list', async () => {
    expect(await call('GET', 'projects/nobody/locations/global/hubs')).toMatchObject({
      status: 403,
      body: { error: { code: 403, status: 'PERMISSION_DENIED' } },
    });
    const missing = await call('GET', `${HUB}x`);
    expect(missing).toMatchObject({ status: 404, body: { error: { status: 'NOT_FOUND' } } });
    expect(missing.body.error.errors).toBeUndefined();
    expect((await call('GET', 'projects/hub-prj/locations/global/operations/nope')).status).toBe(404);
    expect((await call('GET', 'projects/hub-prj/locations/global/hubs?pageToken=bm9wZQ')).status).toBe(400);
  });

  it.each([
    ['an invalid spoke id', 'Bad_Id', spoke('pay'), 400, 'INVALID_ARGUMENT'],
    ['no linked network', 's1', { hub: HUB }, 400, 'INVALID_ARGUMENT'],
    ['a hub that does not exist', 's1', spoke('pay', { hub: `${HUB}-gone` }), 400, 'INVALID_ARGUMENT'],
    ['a group the hub lacks', 's1', spoke('pay', { group: `${HUB}/groups/edge` }), 400, 'INVALID_ARGUMENT'],
    ['a network that does not exist', 's1', spoke('nope'), 400, 'INVALID_ARGUMENT'],
  ])('refuses a spoke with %s', async (_what, id, body, status, code) => {
    const res = await call('POST', `projects/spoke-prj/locations/global/spokes?spokeId=${id}`, body);
    expect(res).toMatchObject({ status, body: { error: { status: code } } });
    expect(emu.state.ncc.spokes.size).toBe(0);
  });

  it('creates a spoke through an operation: CREATING, then INACTIVE for review across projects, ACTIVE in the hub’s', async () => {
    const created = await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=pay', spoke('pay'));
    expect(created.body.done).toBeUndefined();
    expect((await call('GET', 'projects/spoke-prj/locations/global/spokes/pay')).body.state).toBe('CREATING');
    finish();
    const op = await call('GET', created.body.name);
    expect(op.body).toMatchObject({
      done: true,
      response: { state: 'INACTIVE', reasons: [{ code: 'PENDING_REVIEW' }] },
    });
    await call('POST', 'projects/hub-prj/locations/global/spokes?spokeId=shared', {
      hub: HUB,
      linkedVpcNetwork: { uri: NET('hub-prj', 'shared') },
    });
    finish();
    expect((await call('GET', 'projects/hub-prj/locations/global/spokes/shared')).body.state).toBe('ACTIVE');
    expect(events.map((e) => [e.data.protoPayload.methodName, Object.keys(e.data.operation)[2]])).toEqual([
      ['google.cloud.networkconnectivity.v1.HubService.CreateSpoke', 'first'],
      ['google.cloud.networkconnectivity.v1.HubService.CreateSpoke', 'last'],
      ['google.cloud.networkconnectivity.v1.HubService.CreateSpoke', 'first'],
      ['google.cloud.networkconnectivity.v1.HubService.CreateSpoke', 'last'],
    ]);
    expect(events[0]!.data.protoPayload).toMatchObject({ authenticationInfo: { principalEmail: 'alice@example.com' } });
  });

  it('refuses a second spoke for a VPC (ALREADY_EXISTS, naming the first) and overlapping ranges (FAILED_PRECONDITION)', async () => {
    await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=pay', spoke('pay'));
    const again = await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=pay2', spoke('pay'));
    expect(again).toMatchObject({ status: 409, body: { error: { status: 'ALREADY_EXISTS' } } });
    expect(again.body.error.message).toContain('spokes/pay');
    const sameId = await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=pay', spoke('web'));
    expect(sameId.status).toBe(409);
    const overlap = await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=ops', spoke('ops'));
    expect(overlap).toMatchObject({ status: 400, body: { error: { status: 'FAILED_PRECONDITION' } } });
    // Excluding the overlapping range from export is how NCC lets such a spoke in.
    const filtered = await call(
      'POST',
      'projects/spoke-prj/locations/global/spokes?spokeId=ops',
      spoke('ops', { linkedVpcNetwork: { uri: NET('spoke-prj', 'ops'), excludeExportRanges: ['10.1.128.0/17'] } }),
    );
    expect(filtered.status).toBe(200);
  });

  it('accepts and rejects only what the hub may decide; patches only the fields the mask allows', async () => {
    await call(
      'POST',
      'projects/spoke-prj/locations/global/spokes?spokeId=pay',
      spoke('pay', { labels: { team: 'pay' } }),
    );
    const uri = 'projects/spoke-prj/locations/global/spokes/pay';
    expect((await call('POST', `${HUB}:acceptSpoke`, { spokeUri: uri })).body.error.status).toBe('FAILED_PRECONDITION');
    finish();
    expect(
      (await call('POST', `${HUB}:acceptSpoke`, { spokeUri: 'projects/x/locations/global/spokes/pay' })).status,
    ).toBe(404);
    const accepted = await call('POST', `${HUB}:acceptSpoke`, { spokeUri: uri });
    finish();
    expect((await call('GET', accepted.body.name)).body.response.spoke.state).toBe('ACTIVE');
    const bad = await call('PATCH', `${uri}?updateMask=hub`, { hub: 'elsewhere' });
    expect(bad).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
    const views = await Promise.all(
      ['', '&view=DETAILED&spokeLocations=global'].map((v) =>
        call('GET', `${HUB}:listSpokes?x=1${v}`).then((r) => r.body.spokes[0]),
      ),
    );
    expect(Object.keys(views[0]).sort()).toEqual(['createTime', 'hub', 'name', 'spokeType', 'state', 'uniqueId']);
    expect(views[1]).toMatchObject({
      group: `${HUB}/groups/default`,
      linkedVpcNetwork: { uri: NET('spoke-prj', 'pay') },
    });
    expect(views[1].labels).toBeUndefined();
    // SpokeView: DETAILED only with spoke_locations [global].
    expect((await call('GET', `${HUB}:listSpokes?view=DETAILED`)).body.error.status).toBe('INVALID_ARGUMENT');
    expect((await call('GET', `${HUB}:listSpokes?spokeLocations=us-east1`)).body.spokes).toEqual([]);
    expect((await call('GET', uri)).body.labels).toEqual({ team: 'pay' });
    await call('POST', `${HUB}:rejectSpoke`, { spokeUri: uri, details: 'not declared' });
    finish();
    expect((await call('GET', uri)).body).toMatchObject({
      state: 'INACTIVE',
      reasons: [{ code: 'REJECTED', userDetails: 'not declared' }],
    });
  });

  it('routes a STAR hub: center spokes reach both tables, edge spokes only center', async () => {
    emu.state.ncc.createHub({ project: 'hub-prj', name: 'star', presetTopology: 'STAR' });
    const star = 'projects/hub-prj/locations/global/hubs/star';
    emu.state.ncc.seedSpoke({
      project: 'spoke-prj',
      name: 'c',
      hub: star,
      group: 'center',
      network: { project: 'spoke-prj', network: 'pay' },
    });
    emu.state.ncc.seedSpoke({
      project: 'spoke-prj',
      name: 'e',
      hub: star,
      group: 'edge',
      network: { project: 'spoke-prj', network: 'web' },
    });
    const routes = async (table: string) =>
      ((await call('GET', `${star}/routeTables/${table}/routes`)).body.routes as { ipCidrRange: string }[])
        .map((r) => r.ipCidrRange)
        .sort();
    expect(await routes('center')).toEqual(['10.1.0.0/16', '10.2.0.0/16']);
    expect(await routes('edge')).toEqual(['10.1.0.0/16']);
    expect(
      (await call('GET', `${star}/groups`)).body.groups.map((g: { name: string }) => g.name.split('/').pop()),
    ).toEqual(['center', 'edge']);
  });

  it('deletes through an operation (DELETING, then gone) and records a failed operation’s status', async () => {
    emu.state.ncc.seedSpoke({
      project: 'spoke-prj',
      name: 'pay',
      hub: HUB,
      network: { project: 'spoke-prj', network: 'pay' },
    });
    const del = await call('DELETE', 'projects/spoke-prj/locations/global/spokes/pay');
    expect((await call('GET', 'projects/spoke-prj/locations/global/spokes/pay')).body.state).toBe('DELETING');
    finish();
    expect((await call('GET', del.body.name)).body.response).toEqual({
      '@type': 'type.googleapis.com/google.protobuf.Empty',
    });
    expect((await call('GET', 'projects/spoke-prj/locations/global/spokes/pay')).status).toBe(404);
    emu.faults.failOperation(
      { method: 'networkconnectivity.projects.locations.spokes.create' },
      'INVALID_ARGUMENT',
      'nope',
    );
    const failing = await call('POST', 'projects/spoke-prj/locations/global/spokes?spokeId=web', spoke('web'));
    finish();
    expect((await call('GET', failing.body.name)).body).toMatchObject({
      done: true,
      error: { code: 3, message: 'nope' },
    });
    expect(events.at(-1)!.data.protoPayload.status).toEqual({ code: 3, message: 'nope' });
  });
});
