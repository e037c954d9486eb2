import { CreateRouteCommand } from '@aws-sdk/client-ec2';
import { startAwsEmulator, type AwsEmulator } from '../../../infra/local/aws';
import { RetryableError } from '../../../shared/errors';
import { AwsConnections } from '../../../shared/providers/aws/connect';
import { classifyAwsError, EC2_REFILL_MS, withBackoff } from '../../../shared/providers/aws/errors';

// Issue 14: one retry layer per call. The SDK's own retries are off; the adapter's backoff is the only one.
const HUB = '111111111111';
const STATIC = { accessKeyId: 'AKIAHUBSTATIC0000000', secretAccessKey: 'local-secret' };
const throttled = (headers: Record<string, string> = {}) =>
  Object.assign(new Error('Request limit exceeded.'), {
    name: 'RequestLimitExceeded',
    $metadata: { httpStatusCode: 503 },
    $response: { headers },
  });

describe('one retry layer per AWS call', () => {
  let emu: AwsEmulator;
  beforeAll(async () => {
    emu = await startAwsEmulator({ hubAccount: HUB });
  });
  afterAll(() => emu.close());

  it("makes exactly the backoff's attempts for an operation EC2 keeps throttling (4 calls, not the SDK's 3 × 4 = 12)", async () => {
    const vpc = emu.state.createVpc({ account: HUB, region: 'us-east-1', cidr: '10.0.0.0/16' });
    const conn = new AwsConnections({
      roleName: 'r',
      regions: ['us-east-1'],
      allowedAccounts: new Set([HUB]),
      hubAccount: HUB,
      endpoint: emu.url,
      credentials: STATIC,
      backoff: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2, throttleFloorMs: 1 },
    });
    emu.faults.throttle({ action: 'CreateRoute' });
    emu.calls.reset();
    const call = conn.call({ account: HUB, region: 'us-east-1' }, 'create-route', (c) =>
      c.send(
        new CreateRouteCommand({
          RouteTableId: vpc.mainRouteTableId,
          DestinationCidrBlock: '10.9.0.0/16',
          GatewayId: 'igw-1',
        }),
      ),
    );
    await expect(call).rejects.toBeInstanceOf(RetryableError);
    emu.faults.clear();
    conn.destroy();
    expect(emu.calls.of('CreateRoute')).toBe(4);
  });

  const waits = async (
    error: unknown,
    options: { throttleFloorMs?: number; deadline?: number },
    attempts = 3,
  ): Promise<number[]> => {
    const slept: number[] = [];
    await withBackoff(
      async () => {
        throw error;
      },
      { operation: 'test' },
      {
        maxAttempts: attempts,
        baseDelayMs: 100,
        maxDelayMs: 1000,
        random: () => 0,
        sleep: async (ms) => void slept.push(ms),
        ...options,
      },
    ).catch(() => undefined);
    return slept;
  };

  it.each([
    {
      reason: "a throttled mutating call waits at least one refill of EC2's mutating bucket (5/s → 200 ms)",
      error: throttled(),
      floor: EC2_REFILL_MS.mutating,
      want: [200, 200],
    },
    {
      reason: 'a throttled read waits at least one refill of the non-mutating bucket (20/s → 50 ms)',
      error: throttled(),
      floor: EC2_REFILL_MS.nonMutating,
      want: [50, 50],
    },
    {
      reason: 'Retry-After, when the service sends one, wins over a shorter backoff',
      error: throttled({ 'retry-after': '3' }),
      floor: 200,
      want: [3000, 3000],
    },
    {
      reason: 'a 5xx has no throttling floor',
      error: Object.assign(new Error('x'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } }),
      floor: 200,
      want: [0, 0],
    },
  ])('$reason', async ({ error, floor, want }) => {
    expect(await waits(error, { throttleFloorMs: floor })).toEqual(want);
  });

  it('stops before a wait would pass the deadline, with the typed error', async () => {
    expect(await waits(throttled({ 'retry-after': '30' }), { deadline: Date.now() + 1_000 })).toEqual([]);
    expect(classifyAwsError(throttled({ 'retry-after': '2' }), { operation: 'x' })).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
      code: 'RequestLimitExceeded',
    });
  });
});
