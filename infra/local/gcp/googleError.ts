/**
 * Errors as Google writes them on the wire:
 * `{"error":{"code":400,"message":…,"errors":[{"domain":"global","reason":…,"message":…}]}}`.
 */
export class GoogleError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly reason: string,
    message: string,
    /** The operation-level code (`RESOURCE_NOT_READY`, …) when this error ends an operation instead. */
    readonly operationCode?: string,
  ) {
    super(message);
  }

  /** The Compute JSON error body (One Platform APIs override it: see ncc-records.ts). */
  toBody(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        errors: [{ domain: this.domain(), reason: this.reason, message: this.message }],
      },
    };
  }

  private domain(): string {
    return this.reason === 'rateLimitExceeded' || this.reason === 'userRateLimitExceeded' ? 'usageLimits' : 'global';
  }
}

const resource = (path: string): string => `'${path}'`;

/** The canned errors the emulator answers with, spelled as Compute spells them. */
export const errors = {
  notFound: (path: string) =>
    new GoogleError(404, 'notFound', `The resource ${resource(path)} was not found`, 'RESOURCE_NOT_FOUND'),
  alreadyExists: (path: string) =>
    new GoogleError(409, 'alreadyExists', `The resource ${resource(path)} already exists`, 'RESOURCE_ALREADY_EXISTS'),
  invalid: (message: string) => new GoogleError(400, 'invalid', message, 'INVALID_FIELD_VALUE'),
  badRequest: (message: string) => new GoogleError(400, 'badRequest', message, 'BAD_REQUEST'),
  /** The one-peering-operation-at-a-time rule, verbatim as googleapi reports it. */
  peeringInProgress: () =>
    new GoogleError(
      400,
      'badRequest',
      'There is a peering operation in progress on the local or peer network. Try again later.',
      'BAD_REQUEST',
    ),
  notReady: (path: string) =>
    new GoogleError(400, 'resourceNotReady', `The resource ${resource(path)} is not ready`, 'RESOURCE_NOT_READY'),
  quota: (metric: string, limit: number) =>
    new GoogleError(
      403,
      'quotaExceeded',
      `Quota '${metric}' exceeded.  Limit: ${limit.toFixed(1)} globally.`,
      'QUOTA_EXCEEDED',
    ),
  rateLimited: () => new GoogleError(429, 'rateLimitExceeded', 'Rate Limit Exceeded'),
  backend: (status: number) =>
    status === 503
      ? new GoogleError(503, 'backendError', 'Backend Error')
      : new GoogleError(status, 'internalError', 'Internal error. Please try again or contact Google Support.'),
  methodNotFound: (method: string, path: string) =>
    new GoogleError(404, 'notFound', `No handler for ${method} ${path}`),
};
