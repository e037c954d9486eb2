import fc from 'fast-check';
import { googleErrors, type GcpEmulator } from '../../../../infra/local/gcp';
import { cidrsOverlap as rangesOverlap } from '../../../../infra/local/ranges';
import { call, seededEmulator } from './harness';

const LIST = '/compute/v1/projects/hub-prj/global/networks';

describe('GCP emulator fault hooks', () => {
  let em: GcpEmulator;
  beforeAll(async () => {
    em = await seededEmulator();
  });
  afterEach(() => em.faults.clear());
  afterAll(() => em.close());

  const cases: { reason: string; arm: () => void; status: number; errorReason: string }[] = [
    {
      reason: 'throttling answers 429 rateLimitExceeded in the usageLimits domain',
      arm: () => em.faults.throttle({ method: 'compute.networks.list' }),
      status: 429,
      errorReason: 'rateLimitExceeded',
    },
    {
      reason: 'a backend failure answers 503 backendError',
      arm: () => em.faults.serverError({ method: 'compute.networks.list' }),
      status: 503,
      errorReason: 'backendError',
    },
    {
      reason: 'a 500 answers internalError',
      arm: () => em.faults.serverError({ status: 500 }),
      status: 500,
      errorReason: 'internalError',
    },
    {
      reason: 'any Google error can be injected, e.g. resourceNotReady',
      arm: () => em.faults.fail({}, () => googleErrors.notReady('projects/hub-prj/global/networks/hub')),
      status: 400,
      errorReason: 'resourceNotReady',
    },
  ];
  it.each(cases)('$reason', async ({ arm, status, errorReason }) => {
    arm();
    const failed = await call(em, 'GET', LIST);
    expect(failed.status).toBe(status);
    expect((failed.body.error as { errors: { reason: string }[] }).errors[0]!.reason).toBe(errorReason);
    expect((await call(em, 'GET', LIST)).status).toBe(200);
  });

  it('lets `skip` calls through before failing (page 2 of a list)', async () => {
    em.faults.serverError({ method: 'compute.networks.list', skip: 1 });
    expect((await call(em, 'GET', LIST)).status).toBe(200);
    expect((await call(em, 'GET', LIST)).status).toBe(503);
  });

  it('adds latency', async () => {
    em.faults.latency(60, 'compute.networks.list');
    const t0 = Date.now();
    await call(em, 'GET', LIST);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('hides created resources until the visibility delay passes', async () => {
    em.faults.delayVisibility(150);
    em.state.createNetwork({ project: 'hub-prj', name: 'late' });
    expect((await call(em, 'GET', `${LIST}/late`)).status).toBe(404);
    await new Promise((r) => setTimeout(r, 160));
    expect((await call(em, 'GET', `${LIST}/late`)).status).toBe(200);
  });

  it('ends operations in error when asked', async () => {
    em.faults.failOperation(
      { method: 'compute.networks.addPeering' },
      'RESOURCE_NOT_READY',
      'The resource is not ready',
    );
    const op = await call(em, 'POST', `${LIST}/hub/addPeering`, {
      networkPeering: { name: 'x', network: 'projects/spoke-prj/global/networks/spoke' },
    });
    const done = await call(em, 'POST', `/compute/v1/projects/hub-prj/global/operations/${String(op.body.name)}/wait`);
    expect(done.body).toMatchObject({ status: 'DONE', error: { errors: [{ code: 'RESOURCE_NOT_READY' }] } });
    expect((await call(em, 'GET', `${LIST}/hub`)).body.peerings).toBeUndefined();
  });
});

describe('emulator range overlap', () => {
  const cases = [
    { reason: 'containment overlaps', a: '10.0.0.0/8', b: '10.1.2.0/24', want: true },
    { reason: 'adjacent ranges do not', a: '10.0.0.0/24', b: '10.0.1.0/24', want: false },
    { reason: 'IPv6 containment overlaps', a: 'fd20::/48', b: 'fd20:0:0:1::/64', want: true },
    { reason: 'IPv4 never overlaps IPv6', a: '0.0.0.0/0', b: '::/0', want: false },
  ];
  it.each(cases)('$reason', ({ a, b, want }) => expect(rangesOverlap(a, b)).toBe(want));

  it('is symmetric and every range overlaps its own sub-ranges', () => {
    const v4 = fc
      .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
      .map(([n, len]) => `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${len}`);
    fc.assert(fc.property(v4, v4, (a, b) => rangesOverlap(a, b) === rangesOverlap(b, a)));
    fc.assert(
      fc.property(v4, fc.integer({ min: 0, max: 32 }), (a, extra) => {
        const len = Number(a.split('/')[1]);
        return rangesOverlap(a, `${a.split('/')[0]}/${Math.min(32, len + extra)}`);
      }),
    );
  });
});
