import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPolicy, type Policy } from '../policy';

/** The setting that names the policy file, in every cloud. */
export const POLICY_FILE_ENV = 'PEERKEEPER_POLICY_FILE';

/**
 * The policy bundled with the functions: PEERKEEPER_POLICY_FILE, else `policy.yaml` next to the bundle
 * (esbuild's CommonJS bundle keeps __dirname as the bundle's directory: /var/task/functions/aws in Lambda).
 */
export function bundledPolicyPath(env: NodeJS.ProcessEnv): string {
  const configured = env[POLICY_FILE_ENV];
  if (configured) return resolve(configured);
  return typeof __dirname === 'string' ? join(__dirname, 'policy.yaml') : resolve('policy.yaml');
}

/** Reads and validates a policy file; a bad policy fails the cold start with every problem listed. */
export function loadPolicyFile(file: string): Policy {
  return loadPolicy(readFileSync(file, 'utf8'), file).policy;
}
