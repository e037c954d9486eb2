import type { AzureEmulator } from '../../../infra/local/azure';
import { RetryableError, TerminalError } from '../../../shared/errors';
import type { Action, ActionKind, AttachmentRouting, TransitHubRef } from '../../../shared/model';
import { AZURE_PERMISSIONS, type AzurePeeringAdapter } from '../../../shared/providers/azure';
import { base, CONNECTION_WRITE as WRITE, routing, SPOKE_SUB, transitWorld } from './transit-world';

// The Azure adapter's Virtual WAN actions against the ARM emulator: ownership, ARM's refusals and errors, permissions.

let emu: AzureEmulator;
let adapter: AzurePeeringAdapter;
let hub: TransitHubRef;
let otherHub: TransitHubRef;
const world = transitWorld();
const { ctx, observe, vnet, create } = world;
beforeEach(() => ({ emu, adapter, hub, otherHub } = world));

describe('apply', () => {
  it('names two same-named VNets of different groups apart, and keeps the prefix that marks them', async () => {
    const a = await adapter.apply(create(vnet(SPOKE_SUB, 'app', '10.1.0.0/16', 'Team-A')), ctx());
    const b = await adapter.apply(create(vnet(SPOKE_SUB, 'app', '10.2.0.0/16', 'Team-B')), ctx());
    expect(a.peeringId).toMatch(/\/hubvirtualnetworkconnections\/peerkeeper-app$/);
    expect(b.peeringId).toMatch(/\/hubvirtualnetworkconnections\/peerkeeper-app-[0-9a-f]{8}$/);
  });

  it('refuses a hub named by anything but its resource id (a hub the observation did not see)', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    await expect(adapter.apply(create(spoke, { ...hub, id: 'hub' }), ctx())).rejects.toThrow(
      expect.objectContaining({ name: 'TerminalError', code: 'UnknownHub' }),
    );
    expect(emu.calls.writes()).toBe(0);
  });

  it("refuses to create over someone else's connection of the VNet, naming it", async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(hub.id, 'by-hand', { remoteVnetId: spoke.id });
    await expect(adapter.apply(create(spoke), ctx())).rejects.toThrow(
      expect.objectContaining({ name: 'TerminalError', message: expect.stringContaining('/by-hand') }),
    );
  });

  it('maps ARM refusing a VNet already on another hub to a TerminalError', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(otherHub.id, 'elsewhere', { remoteVnetId: spoke.id });
    const error = await adapter.apply(create(spoke), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalError);
    expect((error as TerminalError).code).toBe('VirtualNetworkAlreadyConnectedToHub');
  });

  it('retries 409 AnotherOperationInProgress and 429, then gives up with a RetryableError', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.faults.throttle({ operation: WRITE, times: 1 });
    expect((await adapter.apply(create(spoke), ctx())).status).toBe('done');
    emu.state.lroPolls = 50;
    await adapter.client.request('PUT', `${hub.id}/hubRouteTables/spokes?api-version=2024-05-01`, Date.now() + 5_000, {
      properties: { routes: [], labels: [] },
    });
    const error = await adapter.apply(create(vnet(SPOKE_SUB, 'second', '10.2.0.0/16')), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as RetryableError).code).toBe('AnotherOperationInProgress');
    expect(emu.calls.count(WRITE)).toBe(2 + 4);
  });

  it('refuses to re-route a connection it does not own; skips one that is gone; a gone delete is converged', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    emu.state.wan.putConnection(hub.id, 'by-hand', { remoteVnetId: spoke.id });
    const id = `${hub.id}/hubvirtualnetworkconnections/by-hand`;
    const update: Action = {
      ...base,
      action: 'update-attachment',
      target: { id, hub, network: spoke },
      before: routing('defaultRouteTable'),
      after: routing('spokes'),
    };
    await expect(adapter.apply(update, ctx())).rejects.toBeInstanceOf(TerminalError);
    expect(emu.state.wan.hub(hub.id)!.connections.get('by-hand')!.associatedRouteTableId).toMatch(/defaultRouteTable$/);
    emu.state.wan.deleteConnection(hub.id, 'by-hand');
    expect((await adapter.apply(update, ctx())).status).toBe('skipped');
    const before = {
      id,
      cloud: 'azure' as const,
      hub,
      network: spoke,
      state: 'active' as const,
      propagations: [],
      tags: {},
    };
    expect(
      (
        await adapter.apply(
          { ...base, action: 'delete-attachment', target: { id, hub, network: spoke }, before },
          ctx(),
        )
      ).status,
    ).toBe('converged');
  });

  it('keeps labels it was not asked to change, and sets them when asked', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    const made = await adapter.apply(
      { ...create(spoke), after: { routing: { ...routing('defaultRouteTable'), labels: ['default'] }, tags: {} } },
      ctx(),
    );
    const target = { id: made.peeringId!, hub, network: spoke };
    const reroute = (after: AttachmentRouting, before = routing('defaultRouteTable')): Action => ({
      ...base,
      action: 'update-attachment',
      target,
      before,
      after,
    });
    expect((await adapter.apply(reroute(routing('spokes')), ctx())).status).toBe('done');
    expect((await observe()).attachments!.find((a) => a.id === target.id)).toMatchObject({
      association: 'spokes',
      labels: ['default'],
    });
    const labelled = { ...routing('spokes'), labels: ['blue'] };
    expect((await adapter.apply(reroute(labelled, routing('spokes')), ctx())).status).toBe('done');
    expect((await observe()).attachments!.find((a) => a.id === target.id)?.labels).toEqual(['blue']);
  });
});

describe('permissions', () => {
  it('makes only calls that AZURE_PERMISSIONS declares for the operation making them', async () => {
    const spoke = vnet(SPOKE_SUB, 'spoke', '10.1.0.0/16');
    const used = new Map<string, string[]>();
    const run = async (operation: string, work: () => Promise<unknown>) => {
      emu.calls.reset();
      await work();
      used.set(operation, Object.keys(emu.calls.snapshot()));
    };
    await run('observe', observe);
    await run('create-attachment', () => adapter.apply(create(spoke), ctx()));
    const id = (await observe()).attachments![0]!.id;
    const target = { id, hub, network: spoke };
    await run('update-attachment', () =>
      adapter.apply(
        {
          ...base,
          action: 'update-attachment',
          target,
          before: routing('defaultRouteTable'),
          after: routing('spokes'),
        },
        ctx(),
      ),
    );
    for (const action of ['accept-attachment', 'reject-attachment'] as const)
      await run(action, async () => {
        const outcome = await adapter.apply(
          action === 'accept-attachment'
            ? { ...base, action, target, after: { routing: routing('spokes') } }
            : { ...base, action, target },
          ctx(),
        );
        expect(outcome).toMatchObject({ status: 'skipped', detail: expect.stringContaining('no attachment requests') });
      });
    const before = (await observe()).attachments![0]!;
    await run('delete-attachment', () =>
      adapter.apply({ ...base, action: 'delete-attachment', target, before }, ctx()),
    );
    const declared = (op: string): readonly string[] =>
      op === 'observe'
        ? [...AZURE_PERMISSIONS.observe, ...AZURE_PERMISSIONS['observe-transit']]
        : (AZURE_PERMISSIONS[op as ActionKind & keyof typeof AZURE_PERMISSIONS] ?? []);
    const undeclared = [...used].flatMap(([op, calls]) =>
      calls.filter((c) => !declared(op).includes(c)).map((c) => `${op}: ${c}`),
    );
    expect(undeclared).toEqual([]);
    expect(used.get('create-attachment')).toContain(WRITE);
    expect(used.get('delete-attachment')).toContain(
      'Microsoft.Network/virtualHubs/hubVirtualNetworkConnections/delete',
    );
    expect(used.get('accept-attachment')).toEqual([]);
    // ARM's linked checks on a connection write (not calls the emulator sees): peer/action on the remote VNet.
    expect(AZURE_PERMISSIONS['create-attachment']).toContain('Microsoft.Network/virtualNetworks/peer/action');
  });
});
