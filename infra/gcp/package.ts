import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, compiledPolicyFrom, REPO_ROOT, writePackage, type PackageFile } from '../function-package';
import zodEnglishOnly from '../zod-english-only.cjs';

/** Where `npm run package:gcp` writes the source archive Terraform uploads (infra/gcp: var.source_archive). */
export const GCP_PACKAGE = join(REPO_ROOT, 'dist', 'gcp', 'peerkeeper-gcp.zip');

/** The functions framework version the bundle registers with; Cloud Build installs exactly this one. */
const FRAMEWORK = '@google-cloud/functions-framework';

/**
 * The GCP source archive: the bundle of functions/gcp/index.ts, the compiled policy beside it, and a package.json
 * naming only the functions framework. The framework stays outside the bundle: Cloud Run's Node buildpack starts
 * the framework from node_modules, and registrations must reach that same instance.
 */
export async function gcpPackageFiles(env: NodeJS.ProcessEnv = process.env): Promise<PackageFile[]> {
  const policy = compiledPolicyFrom(env, REPO_ROOT);
  const pinned = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  ).dependencies[FRAMEWORK]!;
  const js = await bundle({
    entryPoints: [join(REPO_ROOT, 'functions', 'gcp', 'index.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [zodEnglishOnly],
    external: [FRAMEWORK],
    outfile: 'index.js',
  });
  return [
    { name: 'index.js', data: js },
    { name: 'policy.json', data: policy.json },
    {
      name: 'package.json',
      data: Buffer.from(
        `${JSON.stringify({ name: 'peerkeeper-gcp', private: true, main: 'index.js', engines: { node: '22' }, dependencies: { [FRAMEWORK]: pinned } }, null, 2)}\n`,
      ),
    },
  ];
}

if (require.main === module) {
  gcpPackageFiles().then(
    (files) => {
      process.stdout.write(
        `wrote ${writePackage(GCP_PACKAGE, files, 'policy.json')} (${files.map((f) => `${f.name} ${Math.round(f.data.length / 1024)} KiB`).join(', ')})\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`package:gcp: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
