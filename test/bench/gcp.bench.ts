import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { startGcpEmulator } from '../../infra/local/gcp';
import type { Trigger } from '../../shared/model';
import { createGcpProvider } from '../../shared/providers/gcp';
import { createGcpRuntime } from '../../shared/runtime/gcp';
import { e2ePolicy, FOLDER } from '../e2e/gcp-harness';

const ROOT = join(__dirname, '..', '..');

/** Bundles functions/gcp as deployed (minified CJS for node22, `module` before `main`) and times `require` in a fresh node. */
async function bundleAndLoad(): Promise<{ bytes: number; loadMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-gcp-bench-'));
  try {
    const outfile = join(dir, 'index.js');
    await build({
      entryPoints: [join(ROOT, 'functions/gcp/index.ts')],
      bundle: true,
      minify: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'silent',
    });
    // Median of 5 cold loads: one process each, so nothing is cached between them.
    const script = `const t=process.hrtime.bigint();require(${JSON.stringify(outfile)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    const runs = Array.from({ length: 5 }, () =>
      Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim()),
    ).sort((a, b) => a - b);
    return { bytes: statSync(outfile).size, loadMs: Math.round(runs[2]! * 10) / 10 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compute reads and writes (counted by the emulator) for one network event that peers a new spoke, then one project sweep. */
async function callsPerReconcile(): Promise<{
  event: { reads: number; writes: number };
  sweep: { reads: number; writes: number };
}> {
  const em = await startGcpEmulator({ waitTimeoutMs: 200 });
  try {
    em.state.timing.pendingMs = 2;
    em.state.timing.runningMs = 8;
    em.state.createProject({ id: 'hub-prj', parent: { type: 'folder', id: FOLDER } });
    em.state.createNetwork({ project: 'hub-prj', name: 'hub' });
    em.state.createSubnetwork({
      project: 'hub-prj',
      region: 'us-central1',
      network: 'hub',
      name: 'a',
      ipCidrRange: '10.0.0.0/20',
    });
    em.state.createProject({ id: 'partner-prj' });
    em.state.createProject({ id: 'spoke-a', labels: { tier: 'spoke' }, parent: { type: 'folder', id: FOLDER } });
    em.state.createNetwork({ project: 'spoke-a', name: 'vpc' });
    em.state.createSubnetwork({
      project: 'spoke-a',
      region: 'us-central1',
      network: 'vpc',
      name: 'a',
      ipCidrRange: '10.16.0.0/20',
    });
    const policy = e2ePolicy();
    const env = { PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${em.url}/compute/v1`, CLOUDSDK_CONFIG: '/nonexistent' };
    const runtime = createGcpRuntime({
      policy,
      env,
      providers: { gcp: createGcpProvider(policy, env) },
      publisher: { publish: async (_t, m) => m.length },
    });
    const measure = async (trigger: Trigger) => {
      em.calls.reset();
      await runtime.reconcileTrigger(trigger);
      return { reads: em.calls.reads, writes: em.calls.writes };
    };
    const event = await measure({
      scope: { kind: 'network', network: { cloud: 'gcp', account: 'spoke-a', region: 'global', id: 'vpc' } },
      kind: 'network',
      eventId: 'bench-1',
    });
    const sweep = await measure({
      scope: { kind: 'account', cloud: 'gcp', account: 'spoke-a' },
      kind: 'sweep',
      eventId: 'bench-2',
    });
    return { event, sweep };
  } finally {
    await em.close();
  }
}

/** The GCP function bundle (size, cold load) and Compute calls per reconcile; the bench runner prints the rows. */
export async function benchGcp(): Promise<object[]> {
  const { bytes, loadMs } = await bundleAndLoad();
  const calls = await callsPerReconcile();
  return [
    { name: 'gcp-function-bundle', bytes, kb: Math.round(bytes / 1024), loadMs, target: '< 1 MB, < 150 ms' },
    { name: 'gcp-calls-network-event', ...calls.event, note: 'new spoke: observe spoke + hub, create + accept' },
    { name: 'gcp-calls-project-sweep', ...calls.sweep, note: 'converged project: reads only' },
  ];
}
