import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { TerminalError } from '../../errors';
import { ComputeClient, type RetryPolicy, type TokenSource } from './client';

export const DEFAULT_COMPUTE_ENDPOINT = 'https://compute.googleapis.com/compute/v1';
export const DEFAULT_RESOURCE_MANAGER_ENDPOINT = 'https://cloudresourcemanager.googleapis.com/v1';
/**
 * compute (read/write) covers Compute; Network Connectivity writes (spokes, hub decisions) take only cloud-platform
 * (its discovery document lists no narrower scope), which also covers Resource Manager reads. IAM still limits the
 * identity to the custom role's permissions.
 */
const SCOPES = ['https://www.googleapis.com/auth/compute', 'https://www.googleapis.com/auth/cloud-platform'];

/** No Authorization header: for local emulators. */
export const anonymous: TokenSource = { headers: async () => ({}) };

/** A fixed bearer token (e.g. `gcloud auth print-access-token` for a one-off CLI run). */
export function staticToken(token: string): TokenSource {
  return { headers: async () => ({ authorization: `Bearer ${token}` }) };
}

/**
 * Application Default Credentials: the function's service account on GCP, or the key / gcloud login
 * on a workstation. google-auth-library is loaded on first use so a cold start that never calls GCP
 * does not pay for it. `scopes` defaults to Compute read/write + Cloud Platform (Network Connectivity writes).
 */
export function applicationDefaultCredentials(scopes: readonly string[] = SCOPES): TokenSource {
  let headers: ((url: string) => Promise<Record<string, string>>) | undefined;
  return {
    async headers(url) {
      if (!headers) {
        const { GoogleAuth } = await import('google-auth-library');
        const auth = new GoogleAuth({ scopes: [...scopes] });
        headers = async (u) => {
          try {
            return Object.fromEntries((await auth.getRequestHeaders(u)).entries());
          } catch (e) {
            throw new TerminalError(`no Google credentials: ${e instanceof Error ? e.message : String(e)}`, {
              code: 'NO_CREDENTIALS',
              cause: e,
            });
          }
        };
      }
      return headers(url);
    },
  };
}

/** True when ADC can find credentials without a network probe: a key file, a gcloud login, or a GCP runtime. */
export function hasApplicationDefaultCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.GOOGLE_APPLICATION_CREDENTIALS) return true;
  if (env.K_SERVICE || env.FUNCTION_TARGET || env.GCE_METADATA_HOST) return true;
  const configDir = env.CLOUDSDK_CONFIG ?? join(env.APPDATA ?? join(homedir(), '.config'), 'gcloud');
  return existsSync(join(configDir, 'application_default_credentials.json'));
}

/** Where the adapter sends its calls and how it signs them. */
export interface GcpConnection {
  endpoint: string;
  resourceManagerEndpoint: string;
  /** Absent: the client derives it from `endpoint` (Google's, or `<origin>/networkconnectivity/v1` of an emulator). */
  networkConnectivityEndpoint?: string;
  /** First poll of a Network Connectivity operation (absent: the client's 1 s). */
  operationPollMs?: number;
  auth: TokenSource;
}

/**
 * Reads the connection from the environment: PEERKEEPER_GCP_COMPUTE_ENDPOINT (default live Compute),
 * PEERKEEPER_GCP_RESOURCEMANAGER_ENDPOINT (default: live, or `<origin>/v1` of an overridden Compute
 * endpoint, which is where the local emulator serves it), PEERKEEPER_GCP_NETWORKCONNECTIVITY_ENDPOINT (default live,
 * or `<origin>/networkconnectivity/v1` of an overridden Compute endpoint), PEERKEEPER_GCP_ACCESS_TOKEN (static token),
 * PEERKEEPER_GCP_OPERATION_POLL_MS (first poll of an NCC operation; the local cloud's finish in milliseconds).
 * With an endpoint override and no ADC the client is unauthenticated.
 */
export function gcpConnection(env: NodeJS.ProcessEnv): GcpConnection {
  const override = env.PEERKEEPER_GCP_COMPUTE_ENDPOINT;
  const endpoint = override ?? DEFAULT_COMPUTE_ENDPOINT;
  const resourceManagerEndpoint =
    env.PEERKEEPER_GCP_RESOURCEMANAGER_ENDPOINT ??
    (override ? `${new URL(override).origin}/v1` : DEFAULT_RESOURCE_MANAGER_ENDPOINT);
  const auth = env.PEERKEEPER_GCP_ACCESS_TOKEN
    ? staticToken(env.PEERKEEPER_GCP_ACCESS_TOKEN)
    : override && !hasApplicationDefaultCredentials(env)
      ? anonymous
      : applicationDefaultCredentials();
  const ncc = env.PEERKEEPER_GCP_NETWORKCONNECTIVITY_ENDPOINT;
  const pollMs = Number(env.PEERKEEPER_GCP_OPERATION_POLL_MS);
  return {
    endpoint,
    resourceManagerEndpoint,
    ...(ncc ? { networkConnectivityEndpoint: ncc } : {}),
    ...(Number.isInteger(pollMs) && pollMs > 0 ? { operationPollMs: pollMs } : {}),
    auth,
  };
}

/** A Compute client for the environment's connection. */
export function connectCompute(env: NodeJS.ProcessEnv, retry?: RetryPolicy): ComputeClient {
  return new ComputeClient({ ...gcpConnection(env), ...(retry ? { retry } : {}) });
}
