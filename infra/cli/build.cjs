'use strict';
/**
 * Builds the `peerkeeper` CLI into dist/cli/ (git-ignored): `npm install` runs it as the `prepare` step, and
 * `npm pack` runs it before packing. ESM with code splitting, so each command and each cloud adapter is a chunk
 * of its own that loads only when a command needs it: `--version` reads 1 small file instead of compiling
 * TypeScript through tsx and loading three cloud SDKs (1.7–2.4 s before; see issue 16 and `npm run bench`).
 *
 * What is bundled: our code, zod (English messages only) and yaml. What stays a dependency, resolved from
 * node_modules when a chunk first needs it: the cloud SDKs and everything else in `dependencies` — they are
 * large, installed anyway for the functions, and load only for `--provider aws|azure|gcp|local`.
 */
const { build } = require('esbuild');
const { rmSync } = require('node:fs');
const { join } = require('node:path');
const zodEnglishOnly = require('../zod-english-only.cjs');

const root = join(__dirname, '..', '..');
const pkg = require(join(root, 'package.json'));
/** Bundled: every run loads them, and one minified chunk loads faster than hundreds of package files. */
const BUNDLED = new Set(['zod', 'yaml', 'commander']);

/** esbuild options for the CLI; the size test and the benchmark use the same ones. */
function cliBuildOptions(outdir) {
  return {
    entryPoints: {
      peerkeeper: join(root, 'shared/cli/entry.ts'),
      'pr-gate': join(root, 'infra/github/action-entry.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    mainFields: ['module', 'main'],
    external: Object.keys(pkg.dependencies)
      .filter((name) => !BUNDLED.has(name))
      .flatMap((name) => [name, `${name}/*`]),
    // The bundle is ESM; a bundled CommonJS module that calls require() (yaml does not, but a future one may) gets Node's.
    banner: {
      js: "import { createRequire as __peerkeeperRequire } from 'node:module'; const require = __peerkeeperRequire(import.meta.url);",
    },
    define: { 'process.env.PEERKEEPER_BUILD_VERSION': JSON.stringify(pkg.version) },
    plugins: [zodEnglishOnly],
  };
}

async function main() {
  const outdir = join(root, 'dist', 'cli');
  rmSync(outdir, { recursive: true, force: true });
  await build(cliBuildOptions(outdir));
}

module.exports = { cliBuildOptions };

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
