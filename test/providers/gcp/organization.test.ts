import { startGcpEmulator, type GcpEmulator } from '../../../infra/local/gcp';
import { PolicySchema } from '../../../shared/policy';
import { createGcpProvider, type GcpPeeringAdapter, GCP_PERMISSIONS } from '../../../shared/providers/gcp';
import { testClock } from '../../support/clock';

/**
 * Folder discovery through Resource Manager v3 on the emulator: nested folders are walked (not only direct
 * children), projects being deleted are not governed, one project is looked up with projects.get and folders.get,
 * and a MoveProject takes a project out.
 */
describe('GCP folder discovery', () => {
  let em: GcpEmulator;
  let adapter: GcpPeeringAdapter;
  const folders = { platform: '', prod: '', lab: '' };
  beforeAll(async () => {
    em = await startGcpEmulator({ now: testClock().now });
    const s = em.state;
    folders.platform = s.createFolder('Platform', 'organizations/1').name;
    folders.prod = s.createFolder('Prod', folders.platform).name;
    folders.lab = s.createFolder('Lab', 'organizations/1').name;
    const under = (folder: string) => ({ type: 'folder' as const, id: folder.split('/')[1]! });
    s.createProject({ id: 'net-hub', parent: under(folders.platform) });
    s.createProject({ id: 'app-prod', parent: under(folders.prod) });
    s.createProject({ id: 'lab-one', parent: under(folders.lab) });
    s.createProject({ id: 'old-app', parent: under(folders.prod) }).state = 'DELETE_REQUESTED';
    const policy = PolicySchema.parse({ version: 1, groups: { apps: { cloud: 'gcp', folder: folders.platform } } });
    adapter = createGcpProvider(
      policy,
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
      { attempts: 2, baseMs: 1, maxMs: 2 },
    );
  });
  afterAll(() => em.close());

  it('governs the ACTIVE projects of the folder and of its nested folders', async () => {
    expect((await adapter.partitions({ kind: 'estate' })).map((p) => p.account)).toEqual(['app-prod', 'net-hub']);
  });

  it('looks up a project an event names and moves it out on MoveProject', async () => {
    const res = await fetch(`${em.url}/v3/projects/app-prod:move`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ destinationParent: folders.lab }),
    });
    expect(res.status).toBe(200);
    em.calls.reset();
    expect(
      (await adapter.partitions({ kind: 'account', cloud: 'gcp', account: 'app-prod' })).map((p) => p.account),
    ).toEqual(['net-hub']);
    // O(depth), not O(organization): projects.get, then folders.get for Lab (outside the walk); organizations/1 ends the chain.
    expect(Object.fromEntries(em.calls.byMethod)).toEqual({
      'cloudresourcemanager.projects.get': 1,
      'cloudresourcemanager.folders.get': 1,
    });
  });

  it('uses only the Resource Manager permissions it declares', () => {
    const seen = [
      'cloudresourcemanager.folders.list',
      'cloudresourcemanager.folders.get',
      'cloudresourcemanager.projects.list',
      'cloudresourcemanager.projects.get',
    ];
    expect(
      seen
        .map((m) => m.replace('cloudresourcemanager.', 'resourcemanager.'))
        .every((p) => (GCP_PERMISSIONS.partitions as readonly string[]).includes(p)),
    ).toBe(true);
  });
});
