import type { Cloud } from '../model';
import type { Policy } from '../policy';
import type { PeeringProvider } from '../providers/port';
import { MemoryCloud, memoryProviders } from '../providers/memory';
import type { AuditLog } from '../stores/ports';
import type { ApprovalGateway } from '../approvals';
import { cliApprovals, stateDir } from './approvals';
import { CliError, readEstate, readPolicy } from './io';
import type { CliOutput } from './output';

/** The providers a CLI run talks to, and how to finish with them. */
export interface ProviderSelection {
  policy: Policy;
  providers: Partial<Record<Cloud, PeeringProvider>>;
  /** The time plans are made at: a snapshot's observedAt, else the clock. */
  now: Date;
  audit?: AuditLog;
  approvals?: ApprovalGateway;
  /** For the in-memory provider: the estate after the run. */
  snapshot?: () => unknown;
  close(): Promise<void>;
}

/**
 * `--estate S` (or `--provider memory`) loads a snapshot into the in-memory cloud; `--provider aws|azure|gcp`
 * observes the live clouds (or any compatible endpoint) through the real adapters.
 */
export async function openProviders(args: { policy: string; estate?: string; provider?: string; stateDir?: string }, io: Pick<CliOutput, 'err'>): Promise<ProviderSelection> {
  const { policy } = readPolicy(args.policy);
  const { gateway, audit } = cliApprovals(policy, stateDir(args.stateDir), io);
  const shared = { approvals: gateway, audit };
  const kind = args.provider ?? (args.estate ? 'memory' : undefined);
  if (kind === 'memory') {
    if (!args.estate) throw new CliError('--provider memory needs --estate <snapshot.json>');
    const estate = readEstate(args.estate);
    const now = new Date(estate.observedAt);
    const memory = new MemoryCloud(estate, () => now);
    return { policy, providers: memoryProviders(memory), now, snapshot: () => memory.snapshot(), close: async () => undefined, ...shared };
  }
  if (kind === undefined) throw new CliError('say where the estate is: --estate <snapshot.json> or --provider aws|azure|gcp|memory');
  throw new CliError(`unknown provider "${kind}": expected memory, aws, azure or gcp`);
}
