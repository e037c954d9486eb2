import type { GcpEmulator } from '../../../../infra/local/gcp';
import gkeNetwork from '../../../fixtures/gcp/gcp-compute-networks-get-peerings-ACTIVE-gke.json';
import snNetwork from '../../../fixtures/gcp/gcp-compute-networks-get-peering-ACTIVE-servicenetworking.json';
import routeList from '../../../fixtures/gcp/gcp-compute-routes-list-with-peering-route.json';
import eventarc from '../../../fixtures/gcp/gcp-eventarc-auditlog-cloudevent-structured-bigquery.json';
import { call, manualClock, seededEmulator } from './harness';
import { missingPaths } from './shape';

const NET = '/compute/v1/projects/hub-prj/global/networks/hub';
const SPOKE = '/compute/v1/projects/spoke-prj/global/networks/spoke';
const peerWith = (project: string, network: string, name: string) => ({
  networkPeering: { name, network: `projects/${project}/global/networks/${network}`, exchangeSubnetRoutes: true },
});

describe('GCP Compute emulator', () => {
  const clock = manualClock();
  const events: Record<string, unknown>[] = [];
  let em: GcpEmulator;
  beforeAll(async () => {
    em = await seededEmulator({
      now: clock.now,
      onEvent: (e) => events.push(e as Record<string, unknown>),
      principalEmail: 'alice@example.com',
      waitTimeoutMs: 50,
    });
  });
  afterAll(() => em.close());

  /** Lets every pending operation finish. */
  const finish = () => {
    clock.advance(1_000);
    em.state.settle();
  };

  it('serves networks shaped like the Compute examples', async () => {
    em.state.addPeeringHalf({
      project: 'hub-prj',
      network: 'hub',
      name: 'seeded',
      peerProject: 'other',
      peerNetwork: 'far',
    });
    const { status, body } = await call(em, 'GET', NET);
    expect(status).toBe(200);
    expect(missingPaths(gkeNetwork, body)).toEqual([]);
    expect(missingPaths(snNetwork, body)).toEqual([]);
    const peering = (body.peerings as Record<string, unknown>[])[0]!;
    expect(peering).toMatchObject({
      name: 'seeded',
      state: 'INACTIVE',
      network: 'https://www.googleapis.com/compute/v1/projects/other/global/networks/far',
    });
    expect(peering.stateDetails).toMatch(/^\[.+\]: Waiting for peer network to connect\.$/);
    await call(em, 'POST', `${NET}/removePeering`, { name: 'seeded' });
    finish();
  });

  it('runs an operation PENDING → RUNNING → DONE and applies it at DONE', async () => {
    const started = await call(em, 'POST', `${NET}/addPeering`, peerWith('spoke-prj', 'spoke', 'hub-to-spoke'));
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      kind: 'compute#operation',
      status: 'PENDING',
      operationType: 'addPeering',
      user: 'alice@example.com',
    });
    const opPath = `/compute/v1/projects/hub-prj/global/operations/${String(started.body.name)}`;
    expect((await call(em, 'GET', NET)).body.peerings).toBeUndefined();
    clock.advance(em.state.timing.pendingMs);
    expect((await call(em, 'GET', opPath)).body.status).toBe('RUNNING');
    clock.advance(em.state.timing.runningMs);
    const waited = await call(em, 'POST', `${opPath}/wait`);
    expect(waited.body).toMatchObject({ status: 'DONE', progress: 100 });
    const peerings = (await call(em, 'GET', NET)).body.peerings as Record<string, unknown>[];
    expect(peerings.map((p) => [p.name, p.state])).toEqual([['hub-to-spoke', 'INACTIVE']]);
  });

  it('refuses a second peering operation on the local or peer network until the first is done', async () => {
    const first = await call(em, 'POST', `${SPOKE}/addPeering`, peerWith('hub-prj', 'hub', 'spoke-to-hub'));
    expect(first.status).toBe(200);
    const second = await call(em, 'PATCH', `${NET}/updatePeering`, {
      networkPeering: { name: 'hub-to-spoke', exportCustomRoutes: true },
    });
    expect(second.status).toBe(400);
    expect(second.body).toEqual({
      error: {
        code: 400,
        message: 'There is a peering operation in progress on the local or peer network. Try again later.',
        errors: [
          {
            domain: 'global',
            reason: 'badRequest',
            message: 'There is a peering operation in progress on the local or peer network. Try again later.',
          },
        ],
      },
    });
    finish();
    expect(
      (
        await call(em, 'PATCH', `${NET}/updatePeering`, {
          networkPeering: { name: 'hub-to-spoke', exportCustomRoutes: true },
        })
      ).status,
    ).toBe(200);
    finish();
  });

  it('turns both halves ACTIVE once both networks have added the peering, and exchanges routes', async () => {
    for (const path of [NET, SPOKE]) {
      const peerings = (await call(em, 'GET', path)).body.peerings as Record<string, unknown>[];
      expect(peerings[0]).toMatchObject({ state: 'ACTIVE' });
      expect(peerings[0]!.stateDetails).toMatch(/Connected\.$/);
    }
    const routes = await call(em, 'GET', '/compute/v1/projects/spoke-prj/global/routes');
    const items = routes.body.items as Record<string, unknown>[];
    const viaPeering = items
      .filter((r) => r.nextHopPeering === 'spoke-to-hub')
      .map((r) => r.destRange)
      .sort();
    expect(viaPeering).toEqual(['10.0.0.0/20', '10.4.0.0/14']);
    expect(
      missingPaths(
        routeList.items[1],
        items.find((r) => r.nextHopPeering),
      ),
    ).toEqual([]);
    const hubRoutes = (await call(em, 'GET', '/compute/v1/projects/hub-prj/global/routes')).body;
    expect(missingPaths(routeList, hubRoutes, ['items[].tags'])).toEqual([]);
  });

  it('refuses a peering whose ranges overlap, with the error body Compute writes', async () => {
    await call(
      em,
      'POST',
      '/compute/v1/projects/spoke-prj/global/networks/clash/addPeering',
      peerWith('hub-prj', 'hub', 'clash-to-hub'),
    );
    finish();
    const res = await call(em, 'POST', `${NET}/addPeering`, peerWith('spoke-prj', 'clash', 'hub-to-clash'));
    expect(res.status).toBe(400);
    const error = res.body.error as { errors: { reason: string }[]; message: string };
    expect(error.errors[0]!.reason).toBe('badRequest');
    expect(error.message).toMatch(/overlaps with an IP range in the local network \(10\.0\.0\.0\/20\)/);
  });

  it('pages lists with maxResults / pageToken', async () => {
    const first = await call(em, 'GET', '/compute/v1/projects/spoke-prj/global/networks?maxResults=1');
    expect((first.body.items as unknown[]).length).toBe(1);
    expect(typeof first.body.nextPageToken).toBe('string');
    const second = await call(
      em,
      'GET',
      `/compute/v1/projects/spoke-prj/global/networks?maxResults=1&pageToken=${String(first.body.nextPageToken)}`,
    );
    expect(second.body.nextPageToken).toBeUndefined();
    const names = [first, second].flatMap((p) => (p.body.items as { name: string }[]).map((n) => n.name));
    expect(names.sort()).toEqual(['clash', 'spoke']);
  });

  it('emits audit-log CloudEvents like Eventarc, first and last per operation', () => {
    const addPeerings = events.filter((e) => e.methodName === 'v1.compute.networks.addPeering');
    expect(addPeerings.length).toBeGreaterThanOrEqual(4);
    const first = addPeerings[0]!;
    expect(missingPaths(eventarc, first, ['data.protoPayload.serviceData', 'data.protoPayload.status'])).toEqual([]);
    const data = first.data as { protoPayload: Record<string, unknown>; operation: Record<string, unknown> };
    expect(data.protoPayload).toMatchObject({
      methodName: 'v1.compute.networks.addPeering',
      serviceName: 'compute.googleapis.com',
      resourceName: 'projects/hub-prj/global/networks/hub',
      authenticationInfo: { principalEmail: 'alice@example.com' },
    });
    expect(data.operation).toMatchObject({ producer: 'compute.googleapis.com', first: true });
    const last = addPeerings.find(
      (e) => (e.data as typeof data).operation.id === data.operation.id && (e.data as typeof data).operation.last,
    );
    expect(last).toBeDefined();
    expect(first).toMatchObject({
      type: 'google.cloud.audit.log.v1.written',
      source: '//cloudaudit.googleapis.com/projects/hub-prj/logs/activity',
      subject: 'compute.googleapis.com/projects/hub-prj/global/networks/hub',
    });
  });

  it('counts reads and writes per method', () => {
    expect(em.calls.count('compute.networks.addPeering')).toBeGreaterThanOrEqual(4);
    expect(em.calls.writes).toBeGreaterThan(0);
    expect(em.calls.reads).toBeGreaterThan(em.calls.writes);
  });
});
