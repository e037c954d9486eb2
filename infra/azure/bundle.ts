/**
 * How functions/azure is bundled for deployment, and the benchmark's build: one minified CommonJS file for
 * Node 22 (`mainFields: module,main` — ESM entry points tree-shake and load faster).
 *
 * Package layout (zip deployed with WEBSITE_RUN_FROM_PACKAGE or `func azure functionapp publish`):
 *   host.json            functions/azure/host.json
 *   package.json         { "main": "dist/index.js", "type": "commonjs" }  (the v4 model finds functions via `main`)
 *   dist/index.js        this bundle of functions/azure/index.ts
 *   dist/policy.json     `peerkeeper validate policy.yaml --out dist/policy.json` (or app setting PEERKEEPER_POLICY_FILE)
 * No node_modules: everything but @azure/functions-core (provided by the host's Node worker) and @azure/identity
 * (never loaded inside Azure, see below) is bundled.
 */
import type { BuildOptions } from 'esbuild';
import zodEnglishOnly from '../zod-english-only.cjs';

/** esbuild options for the Azure functions bundle. */
export function azureBundleOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [zodEnglishOnly],
    // @azure/functions-core: provided by the Functions host's Node worker at run time; @azure/functions requires it lazily.
    // @azure/identity: ~400 KiB of MSAL, jsonwebtoken and semver. Inside Azure defaultCredential uses the app's managed
    // identity over the platform's token protocol (managed-identity.ts) and never loads it; without an identity the
    // import fails and defaultCredential says to enable one.
    external: ['@azure/functions-core', '@azure/identity'],
  };
}
