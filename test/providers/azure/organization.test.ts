import { type AzureEmulator, startAzureEmulator } from '../../../infra/local/azure';
import { PolicySchema } from '../../../shared/policy';
import { AzurePeeringAdapter, createAzureProvider } from '../../../shared/providers/azure';
import { testClock } from '../../support/clock';

const sub = (n: number) => `0b1f6471-1bf0-4dda-aec3-${String(n).padStart(12, '0')}`;

/**
 * Management-group discovery through the ARM emulator: descendants lists nested groups and their subscriptions
 * (type `/subscriptions`, matched on the id), pages follow nextLink, Disabled subscriptions are not governed,
 * and observed subscriptions carry their chain of groups for the planner.
 */
describe('Azure management-group discovery', () => {
  let emu: AzureEmulator;
  let adapter: AzurePeeringAdapter;
  beforeAll(async () => {
    emu = await startAzureEmulator({ now: testClock().now });
    const s = emu.state;
    s.createManagementGroup('corp', { displayName: 'Corp' });
    s.createManagementGroup('corp-online', { displayName: 'Online', parent: 'corp' });
    s.createManagementGroup('sandbox', { displayName: 'Sandbox' });
    s.createSubscription(sub(1), { displayName: 'online-a', managementGroup: 'corp-online' });
    s.createSubscription(sub(2), { displayName: 'corp-b', managementGroup: 'corp' });
    s.createSubscription(sub(3), { displayName: 'lab', managementGroup: 'sandbox' });
    s.createSubscription(sub(4), { displayName: 'retired', managementGroup: 'corp-online' }).state = 'Disabled';
    emu.faults.pageSize = 2;
    const policy = PolicySchema.parse({ version: 1, groups: { data: { cloud: 'azure', managementGroup: 'Corp' } } });
    adapter = createAzureProvider(policy, { PEERKEEPER_AZURE_ENDPOINT: emu.url });
  });
  afterAll(() => emu.close());

  it('governs the Enabled subscriptions of the group and its nested groups, across pages', async () => {
    expect((await adapter.partitions({ kind: 'estate' })).map((p) => p.account)).toEqual([sub(1), sub(2)]);
  });

  it('gives observed subscriptions their chain of management groups, selected group first', async () => {
    const o = await adapter.observe([
      { cloud: 'azure', account: sub(1) },
      { cloud: 'azure', account: sub(2) },
    ]);
    // descendants does not list the group asked about, so the selected group carries no display name.
    expect(o.accounts.find((a) => a.account === sub(1))?.ancestors).toEqual([
      { id: 'corp' },
      { id: 'corp-online', name: 'Online' },
    ]);
    expect(o.accounts.find((a) => a.account === sub(2))?.ancestors).toEqual([{ id: 'corp' }]);
  });

  it('re-reads on a move event: a subscription moved out stops being governed, one moved in starts', async () => {
    const res = await fetch(
      `${emu.url}/providers/Microsoft.Management/managementGroups/sandbox/subscriptions/${sub(2)}?api-version=2020-05-01`,
      { method: 'PUT', headers: { authorization: 'Bearer x' } },
    );
    expect(res.status).toBe(200);
    const moved = emu.events.at(-1)!;
    expect(moved.data.operationName).toBe('Microsoft.Management/managementGroups/subscriptions/write');
    emu.state.subscription(sub(3)).managementGroup = 'corp-online';
    expect(
      (await adapter.partitions({ kind: 'account', cloud: 'azure', account: sub(2) })).map((p) => p.account),
    ).toEqual([sub(1), sub(3)]);
  });

  it('fails discovery as a whole when a page fails (a gap, never fewer subscriptions)', async () => {
    emu.faults.serverError({ operation: 'Microsoft.Management/managementGroups/descendants/read', skip: 1 });
    try {
      await expect(adapter.partitions({ kind: 'estate' })).rejects.toThrow();
    } finally {
      emu.faults.clear();
    }
  });
});
