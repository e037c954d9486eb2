#!/usr/bin/env node
'use strict';
// The `peerkeeper` command. It runs the compiled CLI in dist/cli (built by `npm install`'s prepare step and shipped
// in the package); in a checkout that was never built it compiles the TypeScript through tsx instead (a dev
// dependency), so a fresh clone still works. `npm run peerkeeper -- …` always runs from source.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const built = join(__dirname, '..', 'dist', 'cli', 'peerkeeper.mjs');
if (existsSync(built)) {
  import(pathToFileURL(built).href);
} else {
  require('tsx/cjs');
  require('../shared/cli/entry.ts');
}
