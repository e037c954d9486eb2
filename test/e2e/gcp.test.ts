import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { planScope } from '../../shared/planner';
import {
  FOLDER,
  DEAD_LETTER_TOPIC,
  isLast,
  pubsubEvent,
  startWorld,
  WORK_TOPIC,
  type Json,
  type World,
} from './gcp-harness';

const ALICE = 'alice@example.com';
const net = (project: string, name: string) => `projects/${project}/global/networks/${name}`;
const byPeople = (p: string) => p !== 'peerkeeper@peerkeeper-local.iam.gserviceaccount.com';

let w: World;
beforeAll(async () => {
  w = await startWorld();
  const s = w.em.state;
  s.createProject({ id: 'hub-prj', labels: { role: 'hub' }, parent: { type: 'folder', id: FOLDER } });
  s.createNetwork({ project: 'hub-prj', name: 'hub' });
  s.createSubnetwork({
    project: 'hub-prj',
    region: 'us-central1',
    network: 'hub',
    name: 'hub-a',
    ipCidrRange: '10.0.0.0/20',
  });
  s.addRoute({
    project: 'hub-prj',
    network: 'hub',
    name: 'onprem',
    destRange: '192.168.0.0/16',
    nextHop: { nextHopIp: '10.0.0.5' },
  });
  s.createProject({ id: 'partner-prj' });
  s.createProject({ id: 'stranger-prj' });
});
afterAll(() => w.em.close());

/** A spoke project vended into the folder: project (no event), network via REST (audit-logged), one subnet. */
async function vendSpoke(project: string, cidr: string): Promise<void> {
  w.em.state.createProject({ id: project, labels: { tier: 'spoke' }, parent: { type: 'folder', id: FOLDER } });
  await w.rest(ALICE, 'POST', `projects/${project}/global/networks`, { name: 'vpc', autoCreateSubnetworks: false });
  w.em.state.createSubnetwork({ project, region: 'europe-west1', network: 'vpc', name: 'main', ipCidrRange: cidr });
}
const halves = (project: string, name: string) => w.em.state.network(project, name)!.peerings;
const stateOf = (project: string, name: string, peerProject: string) => {
  const n = w.em.state.network(project, name)!;
  const half = n.peerings.find((h) => h.peerProject === peerProject);
  return half
    ? {
        state: w.em.state.peeringState(n, half),
        exportCustomRoutes: half.exportCustomRoutes,
        importCustomRoutes: half.importCustomRoutes,
      }
    : undefined;
};
const deliverAll = async (events: Json[]) => {
  const out = [];
  for (const e of events) out.push(await w.event(e));
  return out;
};

describe('GCP end to end: emulator → Eventarc-shaped CloudEvents → real functions-framework handlers', () => {
  it("peers a new project's network into the hub with both halves ACTIVE and custom routes exchanged as the policy says", async () => {
    await vendSpoke('spoke-a', '10.16.0.0/20');
    const outcomes = await deliverAll(w.take());
    expect(outcomes.filter((o) => o.status === 'reconciled')).toHaveLength(1);
    expect(outcomes.find((o) => o.status === 'reconciled')).toMatchObject({ writes: 2, failed: 0 });
    const wanted = { state: 'ACTIVE', exportCustomRoutes: true, importCustomRoutes: true };
    expect(stateOf('spoke-a', 'vpc', 'hub-prj')).toEqual(wanted);
    expect(stateOf('hub-prj', 'hub', 'spoke-a')).toEqual(wanted);
    // The hub's custom (on-prem) route now reaches the spoke over the peering: exchange, not a written route.
    const routes = (await (await fetch(`${w.em.url}/compute/v1/projects/spoke-a/global/routes`)).json()) as {
      items: Json[];
    };
    expect(routes.items.find((r) => r.destRange === '192.168.0.0/16')?.nextHopPeering).toMatch(/^peerkeeper-/);
  });

  it('makes zero Compute calls for its own events', async () => {
    const own = w.take((p) => !byPeople(p));
    expect(own.length).toBeGreaterThan(0);
    w.em.calls.reset();
    const outcomes = await deliverAll(own);
    expect(outcomes.every((o) => o.status === 'ignored')).toBe(true);
    expect({ reads: w.em.calls.reads, writes: w.em.calls.writes }).toEqual({ reads: 0, writes: 0 });
  });

  it('changes nothing on replay: the same id is a duplicate (no calls), a fresh id converges (no writes)', async () => {
    await vendSpoke('spoke-r', '10.17.0.0/20');
    const [first] = w.take().filter(isLast);
    await w.event(first!);
    w.take();
    w.em.calls.reset();
    expect(await w.event(first!)).toMatchObject({ status: 'duplicate' });
    expect(w.em.calls.reads + w.em.calls.writes).toBe(0);
    expect(await w.event({ ...first!, id: `${first!.id}-replayed` })).toMatchObject({
      status: 'reconciled',
      writes: 0,
    });
    expect(w.em.calls.writes).toBe(0);
  });

  it('reciprocates a peering toward the hub from a listed project, delivered in binary mode over HTTP', async () => {
    w.em.state.createNetwork({ project: 'partner-prj', name: 'partner' });
    w.em.state.createSubnetwork({
      project: 'partner-prj',
      region: 'us-east1',
      network: 'partner',
      name: 'p',
      ipCidrRange: '10.32.0.0/20',
    });
    await w.rest('bob@partner.example', 'POST', `${net('partner-prj', 'partner')}/addPeering`, {
      networkPeering: { name: 'to-hub', network: net('hub-prj', 'hub') },
    });
    const server = getTestServer('peerkeeperEvent');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      for (const e of w.take(byPeople)) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        for (const [k, v] of Object.entries(e))
          if (k !== 'data' && typeof v === 'string') headers[`ce-${k.toLowerCase()}`] = v;
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
          method: 'POST',
          headers,
          body: JSON.stringify(e.data),
        });
        expect(res.status).toBeLessThan(300);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(stateOf('hub-prj', 'hub', 'partner-prj')?.state).toBe('ACTIVE');
    expect(stateOf('partner-prj', 'partner', 'hub-prj')?.state).toBe('ACTIVE');
  });

  it('does not reciprocate a peering from an unlisted project, and says why', async () => {
    w.em.state.createNetwork({ project: 'stranger-prj', name: 'x' });
    w.em.state.createSubnetwork({
      project: 'stranger-prj',
      region: 'us-east1',
      network: 'x',
      name: 'x',
      ipCidrRange: '10.48.0.0/20',
    });
    await w.rest('mallory@stranger.example', 'POST', `${net('stranger-prj', 'x')}/addPeering`, {
      networkPeering: { name: 'to-hub', network: net('hub-prj', 'hub') },
    });
    const outcomes = await deliverAll(w.take((p) => p === 'mallory@stranger.example').filter(isLast));
    // The unlisted project is never observed, so nothing from it can be treated as ours; the outcome says why.
    expect(outcomes[0]).toMatchObject({
      status: 'reconciled',
      writes: 0,
      refused: [expect.stringMatching(/^ignored: gcp account stranger-prj is not governed/)],
    });
    expect(stateOf('hub-prj', 'hub', 'stranger-prj')).toBeUndefined();
    expect(stateOf('stranger-prj', 'x', 'hub-prj')?.state).toBe('INACTIVE');
  });

  it('refuses a spoke whose subnets overlap the hub, with the reason', async () => {
    await vendSpoke('spoke-clash', '10.0.8.0/24');
    const outcomes = await deliverAll(w.take((p) => p === ALICE).filter(isLast));
    expect(outcomes[0]).toMatchObject({ status: 'reconciled', writes: 0, failed: 0 });
    expect(halves('spoke-clash', 'vpc')).toEqual([]);
    // The refusal's report is filtered out of network-scoped plans by the planner (see the report to the lead);
    // an unscoped plan of the same projects, as `peerkeeper plan` shows it, carries the reason.
    const observation = await w.provider.observe([
      { cloud: 'gcp', account: 'spoke-clash' },
      { cloud: 'gcp', account: 'hub-prj' },
    ]);
    const plan = planScope({ policy: w.runtime.policy, observation, now: w.now() });
    expect(plan.actions.filter((a) => a.action === 'report').map((a) => a.reason)).toContainEqual(
      expect.stringMatching(
        /^spokes-to-hub: not peered: CIDR overlap: hub-prj\/global\/hub \(hub\) 10\.0\.0\.0\/20 overlaps spoke-clash\/global\/vpc \(vpc\) 10\.0\.8\.0\/24$/,
      ),
    );
  });

  it('never runs two peering operations at once for concurrent events on peered networks', async () => {
    const refusals: string[] = [];
    const realFetch = globalThis.fetch;
    const spy = jest.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const res = await realFetch(input, init);
      if (res.status === 400) {
        const text = await res.clone().text();
        if (/operation in progress/.test(text)) refusals.push(text);
      }
      return res;
    });
    try {
      for (const p of ['spoke-b', 'spoke-c', 'spoke-d'])
        await vendSpoke(p, `10.${['b', 'c', 'd'].indexOf(p.slice(-1)) + 20}.0.0/20`);
      const events = w.take((p) => p === ALICE).filter(isLast);
      expect(events).toHaveLength(3);
      const outcomes = await Promise.all(
        [...events, ...events.map((e) => ({ ...e, id: `${e.id}-twin` }))].map((e) => w.event(e)),
      );
      expect(outcomes.map((o) => o.status === 'reconciled' && o.failed)).toEqual(outcomes.map(() => 0));
    } finally {
      spy.mockRestore();
    }
    expect(refusals).toEqual([]);
    for (const p of ['spoke-b', 'spoke-c', 'spoke-d']) expect(stateOf('hub-prj', 'hub', p)?.state).toBe('ACTIVE');
    const peeringOps = [...w.em.state.operations.values()].filter((o) => o.locks.length > 0);
    for (const a of peeringOps)
      for (const b of peeringOps) {
        if (a === b || !a.locks.some((k) => b.locks.includes(k))) continue;
        expect(a.endTime! <= b.insertTime || b.endTime! <= a.insertTime).toBe(true);
      }
  });

  it('re-adds a removed managed peering half and restores a hand-cleared custom-route flag (update-peering)', async () => {
    await w.rest(ALICE, 'POST', `${net('spoke-a', 'vpc')}/removePeering`, { name: halves('spoke-a', 'vpc')[0]!.name });
    await w.rest(ALICE, 'PATCH', `${net('spoke-b', 'vpc')}/updatePeering`, {
      networkPeering: { name: halves('spoke-b', 'vpc')[0]!.name, exportCustomRoutes: false },
    });
    const outcomes = await deliverAll(w.take(byPeople).filter(isLast));
    expect(outcomes.map((o) => o.status === 'reconciled' && o.writes)).toEqual([1, 1]);
    expect(stateOf('spoke-a', 'vpc', 'hub-prj')).toEqual({
      state: 'ACTIVE',
      exportCustomRoutes: true,
      importCustomRoutes: true,
    });
    expect(stateOf('spoke-b', 'vpc', 'hub-prj')?.exportCustomRoutes).toBe(true);
    w.take();
  });

  it('sweeps what no event announced: fans out one message per project, and the workers repair the hub side', async () => {
    w.em.state.network('hub-prj', 'hub')!.peerings.splice(
      halves('hub-prj', 'hub').findIndex((h) => h.peerProject === 'spoke-c'),
      1,
    );
    halves('hub-prj', 'hub').find((h) => h.peerProject === 'spoke-d')!.importCustomRoutes = false;
    const server = getTestServer('peerkeeperSweep');
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const tick = {
      'x-cloudscheduler-jobname': 'projects/h/locations/l/jobs/peerkeeper-sweep',
      'x-cloudscheduler-scheduletime': '2025-01-15T12:00:00Z',
    };
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const first = (await (await fetch(url, { method: 'POST', headers: tick })).json()) as Json;
      expect(first).toEqual({ status: 'fanned-out', partitions: 8 });
      expect((await (await fetch(url, { method: 'POST', headers: tick })).json()) as Json).toMatchObject({
        status: 'duplicate',
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
    const work = w.published.filter((m) => m.topic === WORK_TOPIC);
    expect(work.map((m) => (m.data as Json).trigger.scope.account)).toEqual([
      'hub-prj',
      'partner-prj',
      'spoke-a',
      'spoke-b',
      'spoke-c',
      'spoke-clash',
      'spoke-d',
      'spoke-r',
    ]);
    for (const [i, m] of work.entries())
      expect(await w.worker(pubsubEvent(`msg-${i}`, m.data, w.now()))).toMatchObject({
        status: 'reconciled',
        failed: 0,
      });
    expect(stateOf('hub-prj', 'hub', 'spoke-c')?.state).toBe('ACTIVE');
    expect(stateOf('hub-prj', 'hub', 'spoke-d')?.importCustomRoutes).toBe(true);
  });

  it('dead-letters a malformed event and a malformed work message, acknowledging both', async () => {
    const bad = {
      specversion: '1.0',
      id: 'bad-1',
      type: 'google.cloud.audit.log.v1.written',
      source: '//cloudaudit.googleapis.com/x',
      data: { nothing: true },
    };
    expect(await w.event(bad)).toMatchObject({ status: 'dead-lettered' });
    expect(
      await w.worker({
        ...pubsubEvent('bad-2', {}, w.now()),
        data: { message: { data: Buffer.from('not json').toString('base64') } },
      }),
    ).toMatchObject({ status: 'dead-lettered' });
    expect(w.published.filter((m) => m.topic === DEAD_LETTER_TOPIC)).toHaveLength(2);
  });
});
