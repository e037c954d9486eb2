import { startGcsEmulator, type GcsEmulator } from '../../infra/local/gcs/server';
import { GcsApprovalStore, GcsAuditLog } from '../../shared/stores/gcs';
import { sampleRecord, storeContract } from './contract';

describe('GCS stores (local JSON-API emulator)', () => {
  let gcs: GcsEmulator;
  let buckets = 0;

  beforeAll(async () => {
    gcs = await startGcsEmulator();
  });
  afterAll(async () => {
    await gcs.close();
  });

  const bucket = async (): Promise<string> => {
    const name = `peerkeeper-${++buckets}`;
    const res = await fetch(`${gcs.baseUrl}/storage/v1/b?project=test`, {
      method: 'POST',
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(200);
    return name;
  };

  storeContract({
    approvals: async () => new GcsApprovalStore({ bucket: await bucket(), baseUrl: gcs.baseUrl }),
    audit: async () => new GcsAuditLog({ bucket: await bucket(), baseUrl: gcs.baseUrl, prefix: 'peerkeeper/' }),
  });

  it('sends the injected access token as a bearer token', async () => {
    const seen: (string | null)[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push(new Headers(init?.headers).get('authorization'));
      return fetch(input, init);
    };
    const store = new GcsApprovalStore({
      bucket: await bucket(),
      baseUrl: gcs.baseUrl,
      fetch: recording,
      getAccessToken: async () => 'ya29.test',
    });
    await store.put(sampleRecord('pcx-token'));
    expect(seen).toEqual(['Bearer ya29.test']);
  });

  it('reports a write to a missing bucket as terminal and a 503 as retryable', async () => {
    await expect(
      new GcsApprovalStore({ bucket: 'no-such-bucket', baseUrl: gcs.baseUrl }).put(sampleRecord('pcx-nobucket')),
    ).rejects.toMatchObject({ name: 'TerminalError', code: 'notFound' });
    const unavailable: typeof fetch = async () =>
      new Response('{"error":{"code":503,"errors":[{"reason":"backendError"}]}}', { status: 503 });
    await expect(
      new GcsApprovalStore({ bucket: 'b', baseUrl: gcs.baseUrl, fetch: unavailable }).get('x'),
    ).rejects.toMatchObject({ name: 'RetryableError', code: 'backendError' });
  });
});
