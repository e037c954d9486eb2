import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, compiledPolicyFrom, REPO_ROOT, writePackage, type PackageFile } from '../function-package';
import { azureBundleOptions } from './bundle';

/** Where `npm run package:azure` writes the zip Terraform deploys (infra/azure: var.package_path). */
export const AZURE_PACKAGE = join(REPO_ROOT, 'dist', 'azure', 'peerkeeper-azure.zip');

/**
 * The Azure function package (run-from-package): host.json, a package.json whose `main` the v4 programming model
 * reads, the bundle of functions/azure/index.ts and the compiled policy beside it (see bundle.ts for the layout).
 */
export async function azurePackageFiles(env: NodeJS.ProcessEnv = process.env): Promise<PackageFile[]> {
  const policy = compiledPolicyFrom(env, REPO_ROOT);
  const js = await bundle(azureBundleOptions(join(REPO_ROOT, 'functions', 'azure', 'index.ts'), 'dist/index.js'));
  return [
    { name: 'host.json', data: readFileSync(join(REPO_ROOT, 'functions', 'azure', 'host.json')) },
    {
      name: 'package.json',
      data: Buffer.from(
        `${JSON.stringify({ name: 'peerkeeper-azure', private: true, main: 'dist/index.js', type: 'commonjs' }, null, 2)}\n`,
      ),
    },
    { name: 'dist/index.js', data: js },
    { name: 'dist/policy.json', data: policy.json },
  ];
}

if (require.main === module) {
  azurePackageFiles().then(
    (files) => {
      process.stdout.write(
        `wrote ${writePackage(AZURE_PACKAGE, files, 'dist/policy.json')} (${files.map((f) => `${f.name} ${Math.round(f.data.length / 1024)} KiB`).join(', ')})\n`,
      );
    },
    (error: unknown) => {
      process.stderr.write(`package:azure: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
