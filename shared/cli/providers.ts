import type { Cloud, Estate } from '../model';
import type { Policy } from '../policy';
import type { PeeringProvider } from '../providers/port';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryCloud, memoryProviders } from '../providers/memory';
import type { AuditLog } from '../stores/ports';
import type { ApprovalGateway } from '../approvals';
import { cliApprovals, decideHintFor, stateDir } from './approvals';
import { commandNow, parseNow } from './clock';
import { CliError, readEstate, readPolicy } from './io';
import { withSnapshotGaps } from './snapshot-gaps';
import type { CliOutput } from './output';

/** The providers a CLI run talks to, and how to finish with them. */
export interface ProviderSelection {
  policy: Policy;
  providers: Partial<Record<Cloud, PeeringProvider>>;
  /** The command's one clock (see `commandNow`): --now, else a snapshot's observedAt, else the wall clock. */
  now: Date;
  audit?: AuditLog;
  approvals?: ApprovalGateway;
  /** For the in-memory provider: the estate after the run. */
  snapshot?: () => Estate;
  close(): Promise<void>;
}

/**
 * `--estate S` (or `--provider memory`) loads a snapshot into the in-memory cloud; `--provider aws|azure|gcp`
 * observes the live clouds (or any compatible endpoint) through the real adapters.
 */
export async function openProviders(
  args: { policy: string; estate?: string; provider?: string; stateDir?: string; now?: string; readOnly?: boolean },
  io: Pick<CliOutput, 'err'>,
): Promise<ProviderSelection> {
  const { policy } = readPolicy(args.policy);
  const { gateway, audit } = cliApprovals(policy, stateDir(args.stateDir), io, decideHintFor(args));
  const shared = { approvals: gateway, audit };
  const kind = args.provider ?? (args.estate ? 'memory' : undefined);
  if (kind === 'memory') {
    if (!args.estate) throw new CliError('--provider memory needs --estate <snapshot.json>');
    const estate = readEstate(args.estate);
    const now = args.now !== undefined ? parseNow(args.now) : new Date(estate.observedAt);
    // The snapshot read here is the cloud's own (no copy); a run that writes nothing shares it with its reads too.
    const memory = new MemoryCloud(estate, () => now, { adopt: true, readOnly: args.readOnly === true });
    return {
      policy,
      providers: withSnapshotGaps(memoryProviders(memory), estate),
      now,
      snapshot: () => memory.snapshot(),
      close: async () => undefined,
      ...shared,
    };
  }
  if (kind === undefined)
    throw new CliError('say where the estate is: --estate <snapshot.json> or --provider aws|azure|gcp|local|memory');
  const live = {
    now: commandNow({ ...(args.now !== undefined ? { now: args.now } : {}) }),
    close: async () => undefined,
    ...shared,
  };
  // Each adapter (and its SDK) loads only when asked for: the AWS SDK alone costs ~0.4 s to load (issue 16).
  if (kind === 'aws')
    return { policy, providers: { aws: (await import('../providers/aws')).createAwsProvider(policy) }, ...live };
  if (kind === 'azure')
    return { policy, providers: { azure: (await import('../providers/azure')).createAzureProvider(policy) }, ...live };
  if (kind === 'gcp')
    return { policy, providers: { gcp: (await import('../providers/gcp')).createGcpProvider(policy) }, ...live };
  if (kind === 'local')
    return { policy, providers: await localCloudProviders(policy, stateDir(args.stateDir)), ...live };
  throw new CliError(`unknown provider "${kind}": expected memory, aws, azure, gcp or local`);
}

/** The endpoints `npm start -- --interactive` writes to <state-dir>/local.json. */
interface LocalEndpoints {
  aws: string;
  azure: string;
  gcp: string;
}

/** Static credentials of the local EC2 emulator's hub account (infra/local/cloud.ts uses the same). */
const LOCAL_AWS_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAHUBSTATIC0000000', AWS_SECRET_ACCESS_KEY: 'local-secret' } as const;

/**
 * `--provider local`: the three real adapters pointed at a running local cloud. Its endpoints come from
 * PEERKEEPER_LOCAL_FILE or <state-dir>/local.json; the AWS SDK's default chain is given the emulator's keys
 * (this process then talks only to loopback).
 */
export async function localCloudProviders(
  policy: Policy,
  dir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Partial<Record<Cloud, PeeringProvider>>> {
  const file = env.PEERKEEPER_LOCAL_FILE ?? join(dir, 'local.json');
  let endpoints: LocalEndpoints;
  try {
    endpoints = JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
  } catch {
    throw new CliError(
      `no local cloud found at ${file}: start one with \`npm start -- --interactive\` (same --state-dir)`,
    );
  }
  if (!endpoints.aws || !endpoints.azure || !endpoints.gcp)
    throw new CliError(`${file} does not name the aws, azure and gcp endpoints`);
  Object.assign(env, LOCAL_AWS_KEYS, { AWS_REGION: env.AWS_REGION ?? 'us-east-1' });
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  const [{ createAwsProvider }, { createAzureProvider }, { createGcpProvider }] = await Promise.all([
    import('../providers/aws'),
    import('../providers/azure'),
    import('../providers/gcp'),
  ]);
  return {
    aws: createAwsProvider(policy, { AWS_ENDPOINT_URL: endpoints.aws, AWS_REGION: 'us-east-1' }),
    azure: createAzureProvider(policy, { PEERKEEPER_AZURE_ENDPOINT: endpoints.azure }),
    gcp: createGcpProvider(policy, {
      PEERKEEPER_GCP_COMPUTE_ENDPOINT: `${endpoints.gcp}/compute/v1`,
      CLOUDSDK_CONFIG: '/nonexistent',
    }),
  };
}
