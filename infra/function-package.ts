import { createHash } from 'node:crypto';
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { compilePolicy } from '../shared/policy/compiled';
import { loadPolicy } from '../shared/policy';
import { zip } from './aws/esbuild-plugin.cjs';

/** One file of a function package. */
export interface PackageFile {
  name: string;
  data: Buffer;
}

/** The deploy parameter that names the policy; packaging without it fails (it would ship no policy, or the wrong one). */
export const POLICY_PARAMETER = 'PEERKEEPER_POLICY';

/**
 * Validates and compiles the policy the package ships (`peerkeeper validate --out`, in-process): a policy with
 * problems stops the packaging with every problem listed, before anything is uploaded.
 */
export function compiledPolicyFrom(env: NodeJS.ProcessEnv, root: string): { file: string; json: Buffer } {
  const named = env[POLICY_PARAMETER];
  if (!named)
    throw new Error(
      `set ${POLICY_PARAMETER} to the policy file to deploy, e.g. ${POLICY_PARAMETER}=policy.yaml npm run package:…`,
    );
  const file = resolve(root, named);
  const { policy } = loadPolicy(readFileSync(file, 'utf8'), relative(root, file));
  return { file, json: Buffer.from(compilePolicy(policy)) };
}

/** Bundles `entry` with esbuild (in memory) and returns the JavaScript. */
export async function bundle(options: BuildOptions): Promise<Buffer> {
  const out = await build({ ...options, write: false, outfile: options.outfile ?? 'index.js' });
  return Buffer.from(out.outputFiles![0]!.contents);
}

/** Writes the deterministic zip (same inputs → same bytes, so Terraform redeploys only on change) and says where. */
export function writeZip(path: string, files: readonly PackageFile[]): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, zip([...files].sort((a, b) => (a.name < b.name ? -1 : 1))));
  return path;
}

/**
 * Writes the package and, beside it, the SHA-256 of the compiled policy it carries (`<name>.policy.sha256`):
 * Terraform sets it as PEERKEEPER_POLICY_SHA256 on the functions, and `peerkeeper doctor` compares it with the
 * policy a user holds (the same hash as shared/doctor/checks.ts policyHash).
 */
export function writePackage(path: string, files: readonly PackageFile[], policyFile: string): string {
  const policy = files.find((f) => f.name === policyFile);
  if (!policy) throw new Error(`the package has no ${policyFile}`);
  writeZip(path, files);
  writeFileSync(
    path.replace(/\.zip$/, '.policy.sha256'),
    `${createHash('sha256').update(policy.data).digest('hex')}\n`,
  );
  return path;
}

/** The repository root (this file is infra/function-package.ts). */
export const REPO_ROOT = join(__dirname, '..');
