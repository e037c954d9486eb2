import { ConvergedError, RetryableError, StaleActionError, TerminalError } from '../../shared/errors';
import type { Action, Plan } from '../../shared/model';
import type { ApplyOutcome, PeeringProvider } from '../../shared/providers/port';
import { executePlan } from '../../shared/reconcile';
import { HUB, SPOKE_A, awsRef } from '../support/estate-builder';

const hub = awsRef(HUB, 'vpc-hub');
const spoke = awsRef(SPOKE_A, 'vpc-a');
const create: Action = {
  action: 'create-peering',
  cloud: 'aws',
  reason: 'r',
  target: { requester: spoke, accepter: hub },
  after: { options: {}, tags: {} },
};
const accept: Action = {
  action: 'accept-peering',
  cloud: 'aws',
  reason: 'r',
  target: { requester: spoke, accepter: hub },
  after: { options: {} },
};
const route: Action = {
  action: 'create-route',
  cloud: 'aws',
  reason: 'r',
  target: { network: hub, routeTableId: 'rtb-1', destination: '10.1.0.0/16' },
  after: { kind: 'peering', peering: { requester: spoke, accepter: hub } },
};
const report: Action = { action: 'report', cloud: 'aws', reason: 'r', severity: 'info', target: { subject: 'x' } };
const plan = (actions: Action[]): Plan => ({
  complete: true,
  scope: { kind: 'estate' },
  mode: 'enforce',
  actions,
  held: [],
  partitions: [],
  problems: [],
});

/** A provider whose apply runs the scripted behaviours in turn and records what it saw. */
function scripted(...steps: ((a: Action, resolved: string | undefined) => ApplyOutcome)[]) {
  const seen: { action: string; resolved: string | undefined }[] = [];
  const provider: PeeringProvider = {
    cloud: 'aws',
    observe: async () => ({ complete: true, gaps: [], accounts: [], networks: [], peerings: [] }),
    apply: async (a, ctx) => {
      const resolved = ctx.resolvePeeringId('aws:222222222222:us-east-1:vpc-a', 'aws:111111111111:us-east-1:vpc-hub');
      seen.push({ action: a.action, resolved });
      const step = steps.shift();
      if (!step) throw new Error('unexpected call');
      return step(a, resolved);
    },
  };
  return { provider, seen };
}

const clock = () => {
  let t = Date.parse('2026-11-20T12:00:00Z');
  return {
    now: () => new Date(t),
    sleep: async (ms: number) => {
      t += ms;
    },
  };
};

describe('executePlan', () => {
  it('hands the id a create produced to the actions after it in the same plan', async () => {
    const { provider, seen } = scripted(
      () => ({ status: 'done', peeringId: 'pcx-new' }),
      () => ({ status: 'done' }),
      () => ({ status: 'done' }),
    );
    const c = clock();
    const results = await executePlan(plan([create, accept, route]), {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: Date.parse('2026-11-20T13:00:00Z'),
      ...c,
    });
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(seen.map((s) => s.resolved)).toEqual([undefined, 'pcx-new', 'pcx-new']);
  });

  it('retries retryable errors with backoff and jitter, honouring Retry-After', async () => {
    const throttle = () => {
      throw new RetryableError('slow down', { code: 'RequestLimitExceeded' });
    };
    const { provider } = scripted(
      throttle,
      () => {
        throw new RetryableError('busy', { retryAfterMs: 7_000 });
      },
      () => ({ status: 'done' }),
    );
    const c = clock();
    const start = c.now().getTime();
    const results = await executePlan(plan([route]), {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: start + 600_000,
      random: () => 0.5,
      ...c,
    });
    expect(results[0]).toMatchObject({ status: 'done', attempts: 3 });
    // 0.5 × 200 ms (full jitter, first retry), then the server's 7 s.
    expect(c.now().getTime() - start).toBe(100 + 7_000);
  });

  it('gives up on retryable errors near the deadline and defers instead of overrunning', async () => {
    const busy = () => {
      throw new RetryableError('busy', { retryAfterMs: 60_000 });
    };
    const { provider } = scripted(busy, busy);
    const c = clock();
    const results = await executePlan(plan([route, route]), {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: c.now().getTime() + 30_000,
      ...c,
    });
    expect(results.map((r) => r.status)).toEqual(['deferred', 'deferred']);
  });

  it('treats already-exists / not-found as converged and stale preconditions as skipped, never retrying terminal errors', async () => {
    const { provider, seen } = scripted(
      () => {
        throw new ConvergedError('RouteAlreadyExists');
      },
      () => {
        throw new StaleActionError('changed since the plan');
      },
      () => {
        throw new TerminalError('denied', { code: 'UnauthorizedOperation' });
      },
    );
    const c = clock();
    const results = await executePlan(plan([route, route, route]), {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: c.now().getTime() + 60_000,
      ...c,
    });
    expect(results.map((r) => r.status)).toEqual(['converged', 'skipped', 'failed']);
    expect(results[2]!.error).toMatchObject({ code: 'UnauthorizedOperation', retryable: false });
    expect(seen).toHaveLength(3);
  });

  it('sends no writes in observe mode and records reports as reported', async () => {
    const { provider, seen } = scripted();
    const c = clock();
    const results = await executePlan(plan([create, route, report]), {
      providers: { aws: provider },
      mode: 'observe',
      deadline: c.now().getTime() + 60_000,
      ...c,
    });
    expect(results.map((r) => r.status)).toEqual(['observed', 'observed', 'reported']);
    expect(seen).toEqual([]);
  });

  it('fails an action for a cloud without a provider, without stopping the rest', async () => {
    const { provider } = scripted(() => ({ status: 'done' }));
    const azure: Action = {
      ...report,
      action: 'reject-peering',
      cloud: 'azure',
      target: { id: 'x', requester: hub, accepter: spoke },
    } as Action;
    const c = clock();
    const results = await executePlan(plan([azure, route]), {
      providers: { aws: provider },
      mode: 'enforce',
      deadline: c.now().getTime() + 60_000,
      ...c,
    });
    expect(results.map((r) => r.status)).toEqual(['failed', 'done']);
  });
});
