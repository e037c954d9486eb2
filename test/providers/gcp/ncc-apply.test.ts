import { NccError } from '../../../infra/local/gcp/ncc-records';
import { RetryableError, TerminalError } from '../../../shared/errors';
import type { Observation } from '../../../shared/model';
import { readAutoAccept, writeAutoAccept } from '../../../shared/providers/gcp';
import { HUB, MANAGED, HUB_PROJECT, nccWorld, SPOKE_PROJECT, type NccWorld } from './ncc-setup';

const SPOKES = 'networkconnectivity.projects.locations.spokes';
const spokeName = (project: string, id: string) => `projects/${project}/locations/global/spokes/${id}`;
const routesOf = (obs: Observation, table: string) =>
  obs.transitHubs?.find((h) => h.ref.id === HUB.id)?.routeTables.find((t) => t.id === table)?.routes ?? [];

describe('GCP adapter: NCC spokes beyond the transit contract', () => {
  let w: NccWorld;
  beforeEach(async () => {
    w = await nccWorld();
  });
  afterEach(async () => {
    await w.close();
  });
  const observe = () =>
    w.adapter.observe([
      { cloud: 'gcp', account: HUB_PROJECT },
      { cloud: 'gcp', account: SPOKE_PROJECT },
    ]);

  it('creates a spoke ACTIVE at once for a project on the group’s auto-accept list (read and written by the adapter)', async () => {
    expect(await readAutoAccept(w.client, HUB, 'default')).toEqual([]);
    await writeAutoAccept(w.client, HUB, 'default', [SPOKE_PROJECT], Date.now() + 5_000);
    expect(await readAutoAccept(w.client, HUB, 'default')).toEqual([SPOKE_PROJECT]);
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    expect((await w.apply(w.create(pay))).status).toBe('done');
    const obs = await observe();
    expect(obs.attachments?.find((a) => a.network.id === 'pay')?.state).toBe('active');
    expect(obs.transitHubs?.[0]?.routeTables.find((t) => t.id === 'default')?.autoAccept).toEqual([SPOKE_PROJECT]);
  });

  it('sends export filters at create and changes them in place: the hub learns only the ranges exported', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16', '10.21.0.0/16']);
    const made = await w.apply(w.create(pay, { exportFilters: { exclude: ['10.21.0.0/16'] } }));
    await w.apply({
      action: 'accept-attachment',
      cloud: 'gcp',
      reason: 't',
      target: { id: made.peeringId!, hub: HUB, network: pay },
      after: { routing: { association: 'default', propagations: [] } },
    });
    let obs = await observe();
    expect(obs.attachments?.find((a) => a.id === made.peeringId)?.exportFilters).toEqual({ exclude: ['10.21.0.0/16'] });
    expect(routesOf(obs, 'default').map((r) => r.destination)).toEqual(['10.20.0.0/16']);
    const before = { association: 'default', propagations: [], exportFilters: { exclude: ['10.21.0.0/16'] } };
    const after = { association: 'default', propagations: [], exportFilters: { exclude: ['10.20.0.0/16'] } };
    const update = {
      action: 'update-attachment' as const,
      cloud: 'gcp' as const,
      reason: 't',
      target: { id: made.peeringId!, hub: HUB, network: pay },
      before,
      after,
    };
    expect((await w.apply(update)).detail).toMatch(/linkedVpcNetwork\.excludeExportRanges/);
    obs = await observe();
    expect(routesOf(obs, 'default').map((r) => r.destination)).toEqual(['10.21.0.0/16']);
    expect((await w.apply(update)).status).toBe('converged');
  });

  it('refuses a spoke whose ranges overlap another spoke of the hub (FAILED_PRECONDITION), and creates nothing', async () => {
    await w.apply(w.create(w.network(HUB_PROJECT, 'core-a', ['10.30.0.0/16'])));
    const overlapping = w.network(SPOKE_PROJECT, 'core-b', ['10.30.128.0/17']);
    await expect(w.apply(w.create(overlapping))).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    expect((await observe()).attachments?.filter((a) => a.network.id === 'core-b')).toEqual([]);
  });

  it('names the spoke that already links the network: someone else’s on this hub, or one to another hub', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'by-hand',
      hub: HUB.id,
      network: { project: SPOKE_PROJECT, network: 'pay' },
    });
    await expect(w.apply(w.create(pay))).rejects.toThrow(/by-hand \(not peerkeeper's\)/);
    w.emu.state.ncc.createHub({ project: HUB_PROJECT, name: 'other' });
    const ops = w.network(SPOKE_PROJECT, 'ops', ['10.22.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'ops-other',
      hub: `projects/${HUB_PROJECT}/locations/global/hubs/other`,
      network: { project: SPOKE_PROJECT, network: 'ops' },
      labels: { 'peerkeeper-managed': 'true' },
    });
    await expect(w.apply(w.create(ops))).rejects.toMatchObject({
      code: 'SPOKE_CONFLICT',
      message: expect.stringContaining('hubs/other'),
    });
  });

  it('converges when an earlier try made the spoke between its read and its create (ALREADY_EXISTS)', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.faults.fail({ method: `${SPOKES}.create` }, () => {
      w.emu.state.ncc.seedSpoke({
        project: SPOKE_PROJECT,
        name: 'peerkeeper-pay',
        hub: HUB.id,
        network: { project: SPOKE_PROJECT, network: 'pay' },
        labels: { 'peerkeeper-managed': 'true' },
      });
      return new NccError(409, 'ALREADY_EXISTS', 'Resource already exists');
    });
    expect(await w.apply(w.create(pay))).toMatchObject({
      status: 'converged',
      peeringId: spokeName(SPOKE_PROJECT, 'peerkeeper-pay'),
    });
    expect(w.emu.calls.count(`${SPOKES}.list`)).toBe(2);
  });

  it('waits (retryable) while our own spoke for the network is still being deleted', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    const old = w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'peerkeeper-pay',
      hub: HUB.id,
      network: { project: SPOKE_PROJECT, network: 'pay' },
      labels: { 'peerkeeper-managed': 'true' },
    });
    old.state = 'DELETING';
    await expect(w.apply(w.create(pay))).rejects.toMatchObject({ code: 'SPOKE_DELETING' });
    expect(w.emu.calls.count(`${SPOKES}.create`)).toBe(0);
  });

  it('retries a throttled create, and leaves an operation running past the deadline as retryable; the retry converges', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.faults.throttle({ method: `${SPOKES}.create` });
    w.emu.state.timing.runningMs = 60_000;
    await expect(w.apply(w.create(pay), 50)).rejects.toBeInstanceOf(RetryableError);
    expect(w.emu.calls.count(`${SPOKES}.create`)).toBe(2);
    w.clock.advance(60_000);
    w.emu.state.timing.runningMs = 4;
    expect(await w.apply(w.create(pay))).toMatchObject({
      status: 'converged',
      peeringId: spokeName(SPOKE_PROJECT, 'peerkeeper-pay'),
    });
  });

  it('maps a failed operation to a terminal error and an unavailable service to a retryable one', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.faults.failOperation(
      { method: `${SPOKES}.create` },
      'INVALID_ARGUMENT',
      'linked VPC network is in another organization',
    );
    await expect(w.apply(w.create(pay))).rejects.toBeInstanceOf(TerminalError);
    w.emu.faults.fail(
      { method: `${SPOKES}.list`, times: 3 },
      () => new NccError(503, 'UNAVAILABLE', 'The service is currently unavailable.'),
    );
    await expect(w.apply(w.create(w.network(SPOKE_PROJECT, 'ops', ['10.22.0.0/16'])))).rejects.toBeInstanceOf(
      RetryableError,
    );
  });

  it('never updates or deletes a spoke without its label; deleting one already gone is converged', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'by-hand',
      hub: HUB.id,
      network: { project: SPOKE_PROJECT, network: 'pay' },
    });
    const target = { id: spokeName(SPOKE_PROJECT, 'by-hand'), hub: HUB, network: pay };
    const routing = (association: string) => ({ association, propagations: [] });
    await expect(
      w.apply({
        action: 'update-attachment',
        cloud: 'gcp',
        reason: 't',
        target,
        before: routing('default'),
        after: routing('center'),
      }),
    ).rejects.toMatchObject({ code: 'NOT_MANAGED' });
    expect(w.emu.state.ncc.spokes.get(target.id)?.group).toBe('default');
    expect(w.emu.calls.count(`${SPOKES}.patch`)).toBe(0);
    const gone = { ...target, id: spokeName(SPOKE_PROJECT, 'never-was') };
    const before = {
      id: gone.id,
      cloud: 'gcp' as const,
      hub: HUB,
      network: pay,
      state: 'active' as const,
      propagations: [],
      tags: {},
    };
    expect(
      (await w.apply({ action: 'delete-attachment', cloud: 'gcp', reason: 't', target: gone, before })).status,
    ).toBe('converged');
  });

  it("makes a spoke it accepts its own: someone's pending spoke in another group gets our labels and the declared group", async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    w.emu.state.ncc.seedSpoke({
      project: SPOKE_PROJECT,
      name: 'by-alice',
      hub: HUB.id,
      group: 'default',
      network: { project: SPOKE_PROJECT, network: 'pay' },
      state: 'PENDING_REVIEW',
    });
    const id = spokeName(SPOKE_PROJECT, 'by-alice');
    const out = await w.apply({
      action: 'accept-attachment',
      cloud: 'gcp',
      reason: 't',
      target: { id, hub: HUB, network: pay },
      after: { routing: { association: 'center', propagations: [] }, tags: MANAGED },
    });
    expect(out.status).toBe('done');
    const spoke = w.emu.state.ncc.spokes.get(id);
    expect(spoke?.group).toBe('center');
    expect(spoke?.labels).toMatchObject({ 'peerkeeper-managed': 'true', 'peerkeeper-connection': 'pay-mesh' });
    // Now ours: a later drift of its group can be put back (update is no longer refused as NOT_MANAGED).
    const back = await w.apply({
      action: 'update-attachment',
      cloud: 'gcp',
      reason: 't',
      target: { id, hub: HUB, network: pay },
      before: { association: 'center', propagations: [] },
      after: { association: 'center', propagations: [] },
    });
    expect(back.status).toBe('converged');
  });

  it('skips an update that asks for propagations (NCC has none) and an accept of a spoke that is not there', async () => {
    const pay = w.network(SPOKE_PROJECT, 'pay', ['10.20.0.0/16']);
    const made = await w.apply(w.create(pay));
    const target = { id: made.peeringId!, hub: HUB, network: pay };
    const update = await w.apply({
      action: 'update-attachment',
      cloud: 'gcp',
      reason: 't',
      target,
      before: { association: 'default', propagations: [] },
      after: { association: 'default', propagations: ['center'] },
    });
    expect(update).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no propagations') });
    const ghost = { hub: HUB, network: w.network(SPOKE_PROJECT, 'ghost', ['10.23.0.0/16']) };
    expect(
      (
        await w.apply({
          action: 'accept-attachment',
          cloud: 'gcp',
          reason: 't',
          target: ghost,
          after: { routing: { association: 'default', propagations: [] } },
        })
      ).status,
    ).toBe('skipped');
  });
});
