import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { azurePackageFiles } from '../../infra/azure/package';
import { gcpPackageFiles } from '../../infra/gcp/package';
import { loadPolicy, readCompiledPolicy } from '../../shared/policy';

const ROOT = join(__dirname, '..', '..');
const POLICY = 'examples/policy.yaml';
const example = loadPolicy(readFileSync(join(ROOT, POLICY), 'utf8'), POLICY).policy;

describe('npm run package:azure and package:gcp (what Terraform deploys)', () => {
  const cases = [
    {
      reason: 'Azure run-from-package: host.json, main → dist/index.js, the compiled policy beside the bundle',
      build: azurePackageFiles,
      names: ['dist/index.js', 'dist/policy.json', 'host.json', 'package.json'],
      policy: 'dist/policy.json',
    },
    {
      reason: 'GCP source archive: index.js, the compiled policy beside it, package.json for Cloud Build',
      build: gcpPackageFiles,
      names: ['index.js', 'package.json', 'policy.json'],
      policy: 'policy.json',
    },
  ];

  it.each(cases)(
    '$reason',
    async ({ build, names, policy }) => {
      const files = new Map((await build({ PEERKEEPER_POLICY: POLICY })).map((f) => [f.name, f.data]));
      expect([...files.keys()].sort()).toEqual(names);
      expect(readCompiledPolicy(files.get(policy)!.toString('utf8'), policy)).toEqual(example);
      const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as {
        main: string;
        dependencies?: Record<string, string>;
      };
      expect(files.has(manifest.main)).toBe(true);
      expect(files.get(manifest.main)!.length).toBeLessThan(1_000_000);
    },
    60_000,
  );

  it('leaves the functions framework to Cloud Build, pinned to the version the code was tested with', async () => {
    const files = new Map((await gcpPackageFiles({ PEERKEEPER_POLICY: POLICY })).map((f) => [f.name, f.data]));
    const manifest = JSON.parse(files.get('package.json')!.toString('utf8')) as {
      dependencies: Record<string, string>;
    };
    const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies).toEqual({
      '@google-cloud/functions-framework': ours.dependencies['@google-cloud/functions-framework'],
    });
    expect(files.get('index.js')!.toString('utf8')).toContain('require("@google-cloud/functions-framework")');
  }, 60_000);

  it.each([
    { build: azurePackageFiles, cloud: 'azure' },
    { build: gcpPackageFiles, cloud: 'gcp' },
  ])('refuses to package $cloud without PEERKEEPER_POLICY', async ({ build }) => {
    await expect(build({})).rejects.toThrow(/set PEERKEEPER_POLICY to the policy file to deploy/);
  });
});
