import { gcpConnection } from '../../../shared/providers/gcp/connect';

/** The environment's say over the GCP connection: where calls go and how soon an NCC operation is polled. */
describe('gcpConnection', () => {
  const local = { PEERKEEPER_GCP_COMPUTE_ENDPOINT: 'http://127.0.0.1:9/compute/v1', CLOUDSDK_CONFIG: '/nonexistent' };

  it('derives Resource Manager from an overridden Compute endpoint and leaves the NCC poll to the client by default', () => {
    const c = gcpConnection(local);
    expect(c.resourceManagerEndpoint).toBe('http://127.0.0.1:9/v1');
    expect(c.operationPollMs).toBeUndefined();
  });

  it('takes PEERKEEPER_GCP_OPERATION_POLL_MS as the first NCC operation poll (the local cloud finishes them in ms)', () => {
    expect(gcpConnection({ ...local, PEERKEEPER_GCP_OPERATION_POLL_MS: '10' }).operationPollMs).toBe(10);
  });

  it.each(['', '0', '-5', '1.5', 'soon'])('ignores PEERKEEPER_GCP_OPERATION_POLL_MS=%j', (value) => {
    expect(gcpConnection({ ...local, PEERKEEPER_GCP_OPERATION_POLL_MS: value }).operationPollMs).toBeUndefined();
  });
});
