'use strict';
const { readFileSync } = require('node:fs');

/**
 * AWS SDK v3 clients describe every operation of their service in one `schemas/schemas_0.js` (EC2's is 1.3 MB).
 * Each schema is a plain array, so esbuild could drop the ones no command uses, but the member traits are
 * written with computed keys — `{ [_xN]: _vPCI }`, where `const _xN = "xmlName"` — and esbuild must assume a
 * computed key may run code, so it keeps all of them: 550 KiB of every EC2 bundle for six operations.
 * This plugin spells those keys out (`{ "xmlName": _vPCI }`), using the module's own string constants, and
 * nothing else changes: the arrays hold the same values, and esbuild's tree shaking does the rest.
 */
const SCHEMA_FILE = /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/;
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
const COMPUTED_KEY = /\[(_\w+)\]:/g;

/** The schema module's source with every computed key that names one of its string constants spelled out. */
function spellOutSchemaKeys(source) {
  const constants = new Map();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) constants.set(name, literal);
  return source.replace(COMPUTED_KEY, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key));
}

const awsSdkSchemas = {
  name: 'aws-sdk-schemas',
  setup(build) {
    build.onLoad({ filter: SCHEMA_FILE }, (args) => ({
      contents: spellOutSchemaKeys(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

module.exports = { awsSdkSchemas, spellOutSchemaKeys };
