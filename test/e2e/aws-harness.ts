import type { EC2Client } from '@aws-sdk/client-ec2';
import { ec2As } from '../../infra/local/actors';
import { startAwsEmulator, type AwsEmulator, type EventBridgeEvent } from '../../infra/local/aws';
import { LocalBus } from '../../infra/local/bus';
import { useLocalAwsCredentials } from '../../infra/local/cloud';
import { localApprovals } from '../../infra/local/functions/approvals';
import { localAwsFunctions, type LocalAwsFunctions } from '../../infra/local/functions/aws';
import type { Policy } from '../../shared/policy/schema';
import type { WorkMessage } from '../../shared/runtime';
import { MemoryApprovalStore, MemoryAuditLog } from '../../shared/stores/memory';
import { runningClock, type TestClock } from '../support/clock';

/** The emulator's read and write counters at one moment. */
export interface CallCounts {
  reads: number;
  writes: number;
}

/**
 * The EC2/STS emulator, the local bus and the REAL AWS handlers of the local cloud (infra/local/functions/aws),
 * wired for one policy. Emulator events from accounts in `providers.aws.accounts` reach network-event, in
 * their EventBridge envelopes and in order; calls made in other accounts (partners, strangers) land in their
 * own CloudTrail, so only the pending poll finds them. Work messages (poll, sweep) wait in `work` until `settle`.
 */
export class AwsWorld {
  /** Every event handed to network-event so far, in delivery order (for the replay check). */
  readonly delivered: unknown[] = [];
  /** What network-event answered, in the same order as `delivered`. */
  readonly results: unknown[] = [];
  private readonly admins: EC2Client[] = [];

  private constructor(
    readonly emu: AwsEmulator,
    readonly bus: LocalBus,
    readonly fns: LocalAwsFunctions,
    readonly audit: MemoryAuditLog,
    private readonly work: WorkMessage[],
    private readonly clock: TestClock,
  ) {}

  /** The world's time: the emulator's and the handlers' one clock (a fixed date; events carry it too). */
  now(): Date {
    return this.clock.now();
  }

  static async start(policy: Policy, clock: TestClock = runningClock()): Promise<AwsWorld> {
    useLocalAwsCredentials();
    const org = new Set(policy.providers.aws?.accounts ?? []);
    const bus = new LocalBus({}, (_cloud, event) => org.has(String((event as { account?: unknown }).account)));
    const emu = await startAwsEmulator({ now: clock.now, onEvent: (event) => bus.publish('aws', event) });
    const audit = new MemoryAuditLog();
    // Chat is never reached: every connection here is `approval: auto` and unmatched requests are rejected.
    const approvals = localApprovals({
      policy,
      store: new MemoryApprovalStore(),
      audit,
      slackBaseUrl: 'http://127.0.0.1:9/api',
      log: () => undefined,
    });
    // The local SQS: work messages wait here until `settle` hands them to the sweep worker.
    const work: WorkMessage[] = [];
    const fns = localAwsFunctions({
      policy,
      endpoint: emu.url,
      audit,
      approvals,
      log: () => undefined,
      now: clock.now,
      onWork: (messages) => work.push(...messages),
    });
    const world = new AwsWorld(emu, bus, fns, audit, work, clock);
    bus.attach({ aws: (event) => world.deliver(event) });
    return world;
  }

  /** Invokes network-event with one event, as the bus rule would, and keeps it for replay. */
  async deliver(event: unknown): Promise<unknown> {
    this.delivered.push(event);
    const result = await this.fns.networkEvent(event);
    this.results.push(result);
    return result;
  }

  /** Waits until every emitted event, and every work message, has been handled (and what those caused). */
  async settle(): Promise<void> {
    await this.bus.idle();
    while (this.work.length > 0) {
      const batch = this.work.splice(0, this.work.length);
      await this.fns.sweepWorker(batch);
      await this.bus.idle();
    }
  }

  /** The pending-request poll (schedule tick → one work message per account and region → sweep worker). */
  async poll(): Promise<void> {
    await this.fns.pendingPoll();
    await this.settle();
  }

  /** The scheduled sweep's fan-out only: the work messages it queued (one per account and region), not yet worked off. */
  async sweepFanOut(): Promise<WorkMessage[]> {
    await this.fns.sweep();
    return this.work.splice(0, this.work.length);
  }

  /** The sweep worker on one work message (one SQS batch of one), then whatever its writes caused. */
  async workOne(message: WorkMessage): Promise<unknown> {
    const answer = await this.fns.sweepWorker([message]);
    await this.settle();
    return answer;
  }

  /** An EC2 client as a person (`role`) in `account`: their calls emit events with their identity. */
  async as(account: string, role: string): Promise<EC2Client> {
    const client = await ec2As(this.emu.url, account, role);
    this.admins.push(client);
    return client;
  }

  counts(): CallCounts {
    return { reads: this.emu.calls.reads, writes: this.emu.calls.writes };
  }

  /** Emulator calls made while `work` runs. */
  async measure(work: () => Promise<unknown>): Promise<CallCounts & { actions: Record<string, number> }> {
    const before = this.counts();
    const snapshot = this.emu.calls.snapshot();
    await work();
    const after = this.emu.calls.snapshot();
    const actions = Object.fromEntries(
      Object.entries(after)
        .map(([a, n]) => [a, n - (snapshot[a] ?? 0)])
        .filter(([, n]) => Number(n) > 0),
    );
    const now = this.counts();
    return { reads: now.reads - before.reads, writes: now.writes - before.writes, actions };
  }

  /** Events the emulator emitted for calls made by `principal` (CloudTrail userIdentity.arn). */
  eventsBy(match: (arn: string) => boolean): EventBridgeEvent[] {
    return this.emu.events.filter((e) => match(String(e.detail.userIdentity.arn ?? '')));
  }

  async close(): Promise<void> {
    await this.settle();
    for (const client of this.admins) client.destroy();
    await this.emu.close();
  }
}
