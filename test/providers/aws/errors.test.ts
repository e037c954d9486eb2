import { ConvergedError, RetryableError, StaleActionError, TerminalError } from '../../../shared/errors';
import { PolicySchema } from '../../../shared/policy/schema';
import { classifyAwsError, createAwsProvider, withBackoff } from '../../../shared/providers/aws';

/** An error shaped like the SDK's service exceptions (name = AWS code, $metadata.httpStatusCode). */
function sdkError(code: string, status: number): Error {
  return Object.assign(new Error(`${code} happened`), { name: code, $metadata: { httpStatusCode: status } });
}

describe('classifyAwsError', () => {
  const cases: {
    reason: string;
    code: string;
    status: number;
    ctx: Parameters<typeof classifyAwsError>[1];
    want: unknown;
  }[] = [
    {
      reason: 'EC2 throttling is retried',
      code: 'RequestLimitExceeded',
      status: 503,
      ctx: { operation: 'x' },
      want: RetryableError,
    },
    {
      reason: 'STS throttling is retried',
      code: 'Throttling',
      status: 400,
      ctx: { operation: 'x' },
      want: RetryableError,
    },
    {
      reason: 'InternalError is retried',
      code: 'InternalError',
      status: 500,
      ctx: { operation: 'x' },
      want: RetryableError,
    },
    {
      reason: 'Unavailable is retried',
      code: 'Unavailable',
      status: 503,
      ctx: { operation: 'x' },
      want: RetryableError,
    },
    {
      reason: 'any unnamed 5xx is retried',
      code: 'SomethingOdd',
      status: 502,
      ctx: { operation: 'x' },
      want: RetryableError,
    },
    {
      reason: 'RouteAlreadyExists on create-route means converged',
      code: 'RouteAlreadyExists',
      status: 400,
      ctx: { operation: 'create-route', converged: ['RouteAlreadyExists'] },
      want: ConvergedError,
    },
    {
      reason: 'InvalidRoute.NotFound on delete-route means converged',
      code: 'InvalidRoute.NotFound',
      status: 400,
      ctx: { operation: 'delete-route', converged: ['InvalidRoute.NotFound'] },
      want: ConvergedError,
    },
    {
      reason: 'pcx NotFound right after create is eventual consistency',
      code: 'InvalidVpcPeeringConnectionID.NotFound',
      status: 400,
      ctx: { operation: 'accept-peering', eventuallyConsistent: ['InvalidVpcPeeringConnectionID.NotFound'] },
      want: RetryableError,
    },
    {
      reason: 'pcx NotFound otherwise is terminal',
      code: 'InvalidVpcPeeringConnectionID.NotFound',
      status: 400,
      ctx: { operation: 'accept-peering' },
      want: TerminalError,
    },
    {
      reason: 'InvalidStateTransition on accept means the action is stale',
      code: 'InvalidStateTransition',
      status: 400,
      ctx: { operation: 'accept-peering', stale: ['InvalidStateTransition'] },
      want: StaleActionError,
    },
    {
      reason: 'a denied call is terminal',
      code: 'UnauthorizedOperation',
      status: 403,
      ctx: { operation: 'x' },
      want: TerminalError,
    },
  ];
  it.each(cases)('$code → $want.name: $reason', ({ code, status, ctx, want }) => {
    const error = classifyAwsError(sdkError(code, status), ctx);
    expect(error).toBeInstanceOf(want as new () => Error);
    expect(error.code).toBe(code);
  });
});

describe('withBackoff', () => {
  it('waits with full jitter, doubling the ceiling each attempt, and gives up after maxAttempts', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(sdkError('RequestLimitExceeded', 503));
    };
    await expect(
      withBackoff(
        failing,
        { operation: 'x' },
        {
          maxAttempts: 4,
          baseDelayMs: 100,
          maxDelayMs: 250,
          random: () => 0.999,
          sleep: async (ms) => {
            waits.push(ms);
          },
        },
      ),
    ).rejects.toBeInstanceOf(RetryableError);
    expect(calls).toBe(4);
    expect(waits).toEqual([99, 199, 249]);
  });

  it('does not wait past the deadline', async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject(sdkError('Throttling', 400));
    };
    await expect(
      withBackoff(
        failing,
        { operation: 'x' },
        {
          maxAttempts: 10,
          baseDelayMs: 1000,
          maxDelayMs: 5000,
          deadline: Date.now() + 500,
          random: () => 0.9,
          sleep: async () => undefined,
        },
      ),
    ).rejects.toBeInstanceOf(RetryableError);
    expect(calls).toBe(1);
  });

  it('does not retry terminal errors', async () => {
    let calls = 0;
    await expect(
      withBackoff(
        () => {
          calls++;
          return Promise.reject(sdkError('InvalidParameterValue', 400));
        },
        { operation: 'x' },
        { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(TerminalError);
    expect(calls).toBe(1);
  });
});

describe('createAwsProvider', () => {
  it('allows exactly the accounts the aws groups, providers.aws.accounts and hubAccount name', async () => {
    const policy = PolicySchema.parse({
      version: 1,
      providers: { aws: { hubAccount: '111111111111', accounts: ['333333333333'], regions: ['us-east-1'] } },
      groups: {
        hub: { cloud: 'aws', account: '111111111111' },
        partners: { cloud: 'aws', account: ['222222222222'] },
        data: { cloud: 'azure', account: '444444444444' },
      },
    });
    const adapter = createAwsProvider(policy, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    const obs = await adapter.observe([{ cloud: 'aws', account: '444444444444', region: 'us-east-1' }]);
    adapter.close();
    expect(obs.gaps[0]).toContain('AccountNotAllowed');
  });
});
