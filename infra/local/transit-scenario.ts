import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../shared/cli/main';
import type { LocalCloud } from './cloud';
import { runAwsTransit, type AwsTransitIds } from './transit-aws';
import { runAzureTransit, type AzureTransitIds } from './transit-azure';
import { runGcpTransit, type GcpTransitIds } from './transit-gcp';

/** One narrated scenario step (runScenario's): the work, then the outcome line read from the emulators. */
export type ScenarioStep = <T>(title: string, work: () => Promise<T>, outcome: (value: T) => string) => Promise<T>;

/** What the transit steps made, for the summary and the tests. */
export interface TransitIds {
  aws: AwsTransitIds;
  azure: AzureTransitIds;
  gcp: GcpTransitIds;
}

/**
 * Issue 17 in the local cloud: in each cloud a spoke is attached to its transit hub by the real handlers, a request
 * from outside the policy goes nowhere, a console change to the spoke's routing is put back and a route someone wrote
 * in the hub's route table is left alone; the AWS spoke also routes to Azure over the TGW's VPN.
 */
export async function runTransitScenario(cloud: LocalCloud, step: ScenarioStep): Promise<TransitIds> {
  // Azure first: the AWS spoke routes the Azure spoke's range over the TGW's VPN once that VNet exists.
  const azure = await runAzureTransit(cloud, step);
  const aws = await runAwsTransit(cloud, step);
  const gcp = await runGcpTransit(cloud, step);
  return { aws, azure, gcp };
}

/** Runs the real CLI against the local cloud (`--provider local`, a throwaway state dir): its exit code and output. */
export async function localCli(
  cloud: LocalCloud,
  command: string,
  extra: string[] = [],
): Promise<{ code: number; printed: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-local-'));
  writeFileSync(join(dir, 'local.json'), JSON.stringify(cloud.endpoints));
  let printed = '';
  const io = {
    out: (t: string) => {
      printed += t;
    },
    err: (t: string) => {
      printed += t;
    },
    color: false,
  };
  try {
    const args = [command, '--policy', cloud.endpoints.policy, '--provider', 'local', '--state-dir', dir, ...extra];
    return { code: await runCli(args, io), printed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
