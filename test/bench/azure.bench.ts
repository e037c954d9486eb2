import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { azureBundleOptions } from '../../infra/azure/bundle';
import { PolicySchema } from '../../shared/policy/schema';
import { AzureWorld, EMULATOR_PRINCIPAL_ID } from '../e2e/azure-harness';

const ROOT = join(__dirname, '..', '..');
const HUB_SUB = '0b1f6471-1bf0-4dda-aec3-111111111111';
const SPOKE_SUB = '0b1f6471-1bf0-4dda-aec3-222222222222';
const ALICE = 'a11ce000-0000-4000-8000-000000000001';

/** Bundles functions/azure as deployed (infra/azure/bundle.ts) and times `require` in a fresh node. */
async function bundleAndLoad(): Promise<{ bytes: number; loadMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-azure-bench-'));
  try {
    const outfile = join(dir, 'index.js');
    await build(azureBundleOptions(join(ROOT, 'functions/azure/index.ts'), outfile));
    // Median of 5 cold loads, one process each. Outside the Functions host @azure/functions warns on stderr (test mode); ignored.
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
    const runs = Array.from({ length: 5 }, () =>
      Number(
        execFileSync(process.execPath, ['-e', script], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      ),
    ).sort((a, b) => a - b);
    return { bytes: statSync(outfile).size, loadMs: Math.round(runs[2]! * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** ARM reads and writes (counted by the emulator) for one peering-event reconcile (a spoke asks the hub), then one subscription sweep. */
async function armCalls(): Promise<object[]> {
  const policy = PolicySchema.parse({
    version: 1,
    identities: [EMULATOR_PRINCIPAL_ID],
    providers: { azure: { subscriptions: [HUB_SUB, SPOKE_SUB] } },
    groups: {
      hub: { cloud: 'azure', account: HUB_SUB, tags: { role: 'hub' } },
      spokes: { cloud: 'azure', account: [SPOKE_SUB], tags: { role: 'spoke' } },
    },
    connections: [{ name: 'spokes-to-hub', topology: 'hub-spoke', hub: 'hub', spokes: 'spokes' }],
  });
  const world = await AzureWorld.start(policy);
  try {
    const s = world.emu.state;
    const hub = s.createVnet({
      subscription: HUB_SUB,
      resourceGroup: 'net',
      name: 'hub',
      location: 'westeurope',
      addressPrefixes: ['10.0.0.0/16'],
      tags: { role: 'hub' },
    }).record;
    const spoke = s.createVnet({
      subscription: SPOKE_SUB,
      resourceGroup: 'net',
      name: 'spoke',
      location: 'westeurope',
      addressPrefixes: ['10.1.0.0/16'],
      tags: { role: 'spoke' },
    }).record;
    await world.arm(
      'PUT',
      `${spoke.id}/virtualNetworkPeerings/to-hub`,
      { properties: { remoteVirtualNetwork: { id: hub.id } } },
      ALICE,
    );
    const event = world.inbox.shift()!;
    world.emu.calls.reset();
    await world.event(event);
    const peering = {
      name: 'azure-arm-calls-peering-event',
      reads: world.emu.calls.reads(),
      writes: world.emu.calls.writes(),
      calls: world.emu.calls.snapshot(),
    };
    world.inbox.length = 0;
    const [message] = await world.sweep();
    world.emu.calls.reset();
    await world.work(message);
    const sweep = {
      name: 'azure-arm-calls-subscription-sweep',
      reads: world.emu.calls.reads(),
      writes: world.emu.calls.writes(),
      calls: world.emu.calls.snapshot(),
    };
    return [peering, sweep];
  } finally {
    await world.close();
  }
}

/** The Azure function bundle's size and load time (target < 1 MB, < 150 ms) and ARM calls per reconcile. */
export async function benchAzure(): Promise<object[]> {
  const bundle = await bundleAndLoad();
  return [{ name: 'bundle-azure-functions', ...bundle, target: '< 1 MB, < 150 ms' }, ...(await armCalls())];
}

if (process.argv[1] && /azure\.bench\.ts$/.test(process.argv[1])) {
  benchAzure().then(
    (rows) => console.log(JSON.stringify(rows, null, 1)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
