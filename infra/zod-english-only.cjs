'use strict';
const { dirname, resolve } = require('node:path');

/**
 * zod's `z` namespace carries `z.locales`: 40 message packs, 258 KiB of every bundle. peerkeeper's messages are
 * English (zod registers `en` itself), so the locale index resolves to English only.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? { path: resolve(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-english-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

module.exports = zodEnglishOnly;
