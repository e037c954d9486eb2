#!/usr/bin/env node
// Tiny launcher: runs the TypeScript CLI through tsx so `npx peerkeeper` works right after `npm install`.
require('tsx/cjs');
const { runCli } = require('../shared/cli/main.ts');
runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; });
