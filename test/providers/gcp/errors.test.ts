import { ConvergedError, RetryableError, TerminalError } from '../../../shared/errors';
import { operationError, parseGoogleError, toPeerkeeperError } from '../../../shared/providers/gcp/errors';
import { NetworkLocks } from '../../../shared/providers/gcp/networkLocks';

const body = (code: number, reason: string, message: string): string =>
  JSON.stringify({ error: { code, message, errors: [{ domain: 'global', reason, message }] } });

describe('Google error mapping', () => {
  const cases: { reason: string; status: number; text: string; want: unknown; code: string }[] = [
    {
      reason: 'throttling is retried',
      status: 429,
      text: body(429, 'rateLimitExceeded', 'Rate Limit Exceeded'),
      want: RetryableError,
      code: 'rateLimitExceeded',
    },
    {
      reason: "Compute's older 403 throttling is retried too",
      status: 403,
      text: body(403, 'rateLimitExceeded', 'Rate Limit Exceeded'),
      want: RetryableError,
      code: 'rateLimitExceeded',
    },
    {
      reason: '5xx is retried, even with an HTML body',
      status: 502,
      text: '<html>bad gateway</html>',
      want: RetryableError,
      code: '502',
    },
    {
      reason: 'a peering operation in progress is retried',
      status: 400,
      text: body(
        400,
        'badRequest',
        'There is a peering operation in progress on the local or peer network. Try again later.',
      ),
      want: RetryableError,
      code: 'badRequest',
    },
    {
      reason: 'resourceNotReady is retried',
      status: 400,
      text: body(400, 'resourceNotReady', "The resource 'x' is not ready"),
      want: RetryableError,
      code: 'resourceNotReady',
    },
    {
      reason: 'alreadyExists is converged',
      status: 409,
      text: body(409, 'alreadyExists', 'exists'),
      want: ConvergedError,
      code: 'alreadyExists',
    },
    {
      reason: 'a 409 conflict that is not alreadyExists is terminal, never converged',
      status: 409,
      text: body(409, 'resourceInUseByAnotherResource', 'in use'),
      want: TerminalError,
      code: 'resourceInUseByAnotherResource',
    },
    {
      reason: 'a 409 with no reason is a conflict too',
      status: 409,
      text: 'conflict',
      want: TerminalError,
      code: 'conflict',
    },
    {
      reason: 'notFound is terminal (deletes turn it into converged)',
      status: 404,
      text: body(404, 'notFound', 'gone'),
      want: TerminalError,
      code: 'notFound',
    },
    {
      reason: 'quota exhaustion is terminal',
      status: 403,
      text: body(403, 'quotaExceeded', "Quota 'ROUTES' exceeded."),
      want: TerminalError,
      code: 'quotaExceeded',
    },
    {
      reason: 'permission denied is terminal',
      status: 403,
      text: body(403, 'forbidden', 'Required permission'),
      want: TerminalError,
      code: 'forbidden',
    },
  ];
  it.each(cases)('$reason', ({ status, text, want, code }) => {
    const e = toPeerkeeperError(parseGoogleError(status, text, null), 'call');
    expect(e).toBeInstanceOf(want as typeof Error);
    expect(e.code).toBe(code);
  });

  it('keeps Retry-After as milliseconds', () => {
    const e = toPeerkeeperError(parseGoogleError(429, body(429, 'rateLimitExceeded', 'x'), '2'), 'call');
    expect((e as RetryableError).retryAfterMs).toBe(2000);
  });

  it('maps operation errors by their code', () => {
    expect(operationError({ code: 'RESOURCE_NOT_READY', message: 'not ready' }, 'op')).toBeInstanceOf(RetryableError);
    expect(operationError({ code: 'RESOURCE_ALREADY_EXISTS' }, 'op')).toBeInstanceOf(ConvergedError);
    expect(operationError({ code: 'INVALID_FIELD_VALUE' }, 'op')).toBeInstanceOf(TerminalError);
  });
});

describe('NetworkLocks', () => {
  it('runs holders of a shared key one after another, and disjoint keys together', async () => {
    const locks = new NetworkLocks();
    const log: string[] = [];
    const job = (name: string, keys: string[], ms: number) =>
      locks.withLocks(keys, async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
      });
    await Promise.all([job('a', ['x', 'y'], 20), job('b', ['y', 'x'], 1), job('c', ['z'], 1)]);
    expect(log.indexOf('b+')).toBeGreaterThan(log.indexOf('a-'));
    expect(log.indexOf('c-')).toBeLessThan(log.indexOf('a-'));
  });
});
