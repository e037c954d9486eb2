#!/usr/bin/env node
// Tiny launcher: runs the TypeScript CLI through tsx so `npx peerkeeper` works right after `npm install`.
require('tsx/cjs');
require('../shared/cli/main.ts');
