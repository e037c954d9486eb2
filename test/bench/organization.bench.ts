import { performance } from 'node:perf_hooks';
import { startAwsEmulator } from '../../infra/local/aws';
import { startAzureEmulator } from '../../infra/local/azure';
import { startGcpEmulator } from '../../infra/local/gcp';
import { PolicySchema } from '../../shared/policy';
import { AwsOrganizationSource } from '../../shared/providers/aws';
import { createAzureProvider } from '../../shared/providers/azure';
import { createGcpProvider } from '../../shared/providers/gcp';
import { OrganizationDirectory } from '../../shared/providers/organization-directory';

const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };

/**
 * AWS: `accounts` spread over Workloads/{Team 1..10}/{Prod,Dev} (nested OUs), selected by the path Workloads.
 * Returns the calls of the sweep's walk and of one account event (a vended account looked up).
 */
async function awsDiscovery(
  accounts: number,
): Promise<{ sweepCalls: number; sweepMs: number; eventCalls: number; governed: number }> {
  const emu = await startAwsEmulator({ hubAccount: '111111111111' });
  try {
    const org = emu.organization;
    const workloads = org.createOrganizationalUnit(org.rootId, 'Workloads');
    const leaves = Array.from({ length: 10 }, (_, t) =>
      org.createOrganizationalUnit(workloads.id, `Team ${t + 1}`),
    ).flatMap((team) => ['Prod', 'Dev'].map((env) => org.createOrganizationalUnit(team.id, env)));
    for (let i = 0; i < accounts; i++)
      org.addAccount({ id: String(400_000_000_000 + i), name: `acct-${i}`, parentId: leaves[i % leaves.length]!.id });
    let calls = 0;
    const source = new AwsOrganizationSource(
      { ids: [], paths: ['Workloads'] },
      {
        endpoint: emu.url,
        credentials: STATIC,
        onCommand: () => {
          calls += 1;
        },
      },
    );
    const directory = new OrganizationDirectory('aws', source, (a) => source.selected(a.ancestors));
    const t0 = performance.now();
    await directory.refresh();
    const sweepMs = performance.now() - t0;
    const sweepCalls = calls;
    const governed = directory.governed().length;
    // A new account vended into a leaf OU: its CreateAccountResult event re-reads that account only.
    const vended = org.createAccount('vended', 'vended@example.com');
    org.moveAccount(vended.id, org.rootId, leaves[3]!.id);
    calls = 0;
    await directory.prepare({ kind: 'account', cloud: 'aws', account: vended.id });
    source.close();
    return { sweepCalls, sweepMs: Math.round(sweepMs), eventCalls: calls, governed };
  } finally {
    await emu.close();
  }
}

/** Azure: `subs` subscriptions under corp › {10 landing zones}, 100 per ARM page; calls of one discovery. */
async function azureDiscovery(subs: number): Promise<{ calls: number; governed: number }> {
  const emu = await startAzureEmulator();
  try {
    emu.state.createManagementGroup('corp');
    for (let z = 0; z < 10; z++) emu.state.createManagementGroup(`lz-${z}`, { parent: 'corp' });
    for (let i = 0; i < subs; i++)
      emu.state.createSubscription(`0b1f6471-1bf0-4dda-aec3-${String(i).padStart(12, '0')}`, {
        managementGroup: `lz-${i % 10}`,
      });
    const adapter = createAzureProvider(
      PolicySchema.parse({ version: 1, groups: { g: { cloud: 'azure', managementGroup: 'corp' } } }),
      { PEERKEEPER_AZURE_ENDPOINT: emu.url },
    );
    const before = emu.calls.reads();
    const governed = (await adapter.partitions({ kind: 'estate' })).length;
    return { calls: emu.calls.reads() - before, governed };
  } finally {
    await emu.close();
  }
}

/** GCP: `projects` projects in Apps/{Team 1..10}/{Prod,Dev} folders, 50 per page; calls of one walk and of one project event. */
async function gcpDiscovery(projects: number): Promise<{ sweepCalls: number; eventCalls: number; governed: number }> {
  const em = await startGcpEmulator();
  try {
    const apps = em.state.createFolder('Apps', 'organizations/1');
    const leaves = Array.from({ length: 10 }, (_, t) => em.state.createFolder(`Team ${t + 1}`, apps.name)).flatMap(
      (team) => ['Prod', 'Dev'].map((env) => em.state.createFolder(env, team.name)),
    );
    for (let i = 0; i < projects; i++)
      em.state.createProject({
        id: `app-${String(i).padStart(4, '0')}`,
        parent: { type: 'folder', id: leaves[i % leaves.length]!.name.split('/')[1]! },
      });
    const adapter = createGcpProvider(
      PolicySchema.parse({ version: 1, groups: { g: { cloud: 'gcp', folder: apps.name } } }),
      { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' },
    );
    const governed = (await adapter.partitions({ kind: 'estate' })).length;
    const sweepCalls = em.calls.reads;
    em.state.createProject({ id: 'app-vended', parent: { type: 'folder', id: leaves[5]!.name.split('/')[1]! } });
    em.calls.reset();
    await adapter.partitions({ kind: 'account', cloud: 'gcp', account: 'app-vended' });
    return { sweepCalls, eventCalls: em.calls.reads, governed };
  } finally {
    await em.close();
  }
}

/**
 * Organization discovery calls (issue 13): the sweep's walk is O(containers + pages); a vending or move event re-reads
 * one account in O(depth) calls, the same at 10 and at 1,000 accounts.
 */
export async function benchOrganization(): Promise<object[]> {
  const [small, large] = [await awsDiscovery(10), await awsDiscovery(1_000)];
  const azure = await azureDiscovery(200);
  const gcp = await gcpDiscovery(200);
  return [
    {
      name: 'org-discovery-aws-sweep-1000',
      accounts: 1_000,
      governed: large.governed,
      calls: large.sweepCalls,
      ms: large.sweepMs,
      target: 'O(OUs + pages): ≤ 2 × 32 OUs + 1,000 / 20 pages + 1',
      pass: large.governed === 1_000 && large.sweepCalls <= 2 * 32 + 50 + 1,
    },
    {
      name: 'org-discovery-aws-vending-event',
      callsAt10: small.eventCalls,
      callsAt1000: large.eventCalls,
      target: 'the same at 10 and 1,000 accounts, ≤ 2 × depth + 1',
      pass: small.eventCalls === large.eventCalls && large.eventCalls <= 2 * 3 + 1,
    },
    {
      name: 'org-discovery-azure-200',
      subscriptions: 200,
      governed: azure.governed,
      calls: azure.calls,
      target: 'one descendants list (100 per page) + one subscriptions list',
      pass: azure.governed === 200 && azure.calls <= 3 + 3,
    },
    {
      name: 'org-discovery-gcp-200',
      projects: 200,
      governed: gcp.governed,
      sweepCalls: gcp.sweepCalls,
      eventCalls: gcp.eventCalls,
      target: 'walk: 2 lists per folder (31 folders); event: projects.get + folders.get per level',
      pass: gcp.governed === 200 && gcp.sweepCalls <= 2 * 31 + 10 && gcp.eventCalls <= 4,
    },
  ];
}
