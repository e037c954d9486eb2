import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// Not '../policy': its index also exports the YAML loader, which the function bundles leave out.
import { readCompiledPolicy } from '../policy/compiled';
import type { Policy } from '../policy/schema';

/** The setting that names the policy file, in every cloud. */
export const POLICY_FILE_ENV = 'PEERKEEPER_POLICY_FILE';

/** The compiled policy's name next to each function bundle (`peerkeeper validate policy.yaml --out policy.json`). */
export const COMPILED_POLICY_FILE = 'policy.json';

/**
 * The policy bundled with the functions: PEERKEEPER_POLICY_FILE, else `policy.json` next to the bundle
 * (esbuild's CommonJS bundle keeps __dirname as the bundle's directory: /var/task/functions/aws in Lambda).
 */
export function bundledPolicyPath(env: NodeJS.ProcessEnv): string {
  const configured = env[POLICY_FILE_ENV];
  if (configured) return resolve(configured);
  return typeof __dirname === 'string' ? join(__dirname, COMPILED_POLICY_FILE) : resolve(COMPILED_POLICY_FILE);
}

/** Reads and validates the compiled policy; a bad one fails the cold start with every problem listed. */
export function loadPolicyFile(file: string): Policy {
  return readCompiledPolicy(readFileSync(file, 'utf8'), file);
}
