import { readFileSync } from 'node:fs';
import { PolicyError } from '../../shared/errors';
import { compilePolicy, loadPolicy, readCompiledPolicy } from '../../shared/policy';

const EXAMPLE = loadPolicy(readFileSync('examples/policy.yaml', 'utf8'), 'examples/policy.yaml').policy;
const COMPILED = compilePolicy(EXAMPLE);

/** The compiled example with one edit, as a hand-edited or damaged file would be. */
function edited(edit: (policy: Record<string, unknown>) => void): string {
  const copy = JSON.parse(COMPILED) as Record<string, unknown>;
  edit(copy);
  return JSON.stringify(copy);
}

function problems(text: string): string {
  try {
    readCompiledPolicy(text, 'policy.json');
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
  throw new Error('expected the compiled policy to be refused');
}

describe('compiled policy (what the functions load)', () => {
  it('reads back exactly the policy it was compiled from, defaults included', () => {
    expect(readCompiledPolicy(COMPILED, 'policy.json')).toEqual(EXAMPLE);
    expect(JSON.parse(COMPILED)).toMatchObject({ mode: EXAMPLE.mode, limits: EXAMPLE.limits });
  });

  it('is deterministic: the same policy compiles to the same bytes', () => {
    expect(compilePolicy(loadPolicy(readFileSync('examples/policy.yaml', 'utf8'), 'x').policy)).toBe(COMPILED);
  });

  it.each([
    {
      reason: 'the YAML itself was packaged instead of the compiled JSON',
      text: readFileSync('examples/policy.yaml', 'utf8'),
      expected: /not JSON .*peerkeeper validate <policy\.yaml> --out policy\.json/,
    },
    {
      reason: 'a truncated file must not load as half a policy',
      text: COMPILED.slice(0, COMPILED.length / 2),
      expected: /policy\.json: 1 problem .*not JSON/s,
    },
    {
      reason: 'a hand-edited unknown field is refused like in YAML',
      text: edited((p) => {
        p.mdoe = 'observe';
      }),
      expected: /policy\.json: 1 problem.*\n.*mdoe/,
    },
    {
      reason: 'a wrong type names its path',
      text: edited((p) => {
        (p.limits as Record<string, unknown>).maxChangesPerRun = 'many';
      }),
      expected: /limits\.maxChangesPerRun: expected number/,
    },
    {
      reason: 'cross-references are checked again: a connection naming a group that is gone',
      text: edited((p) => {
        p.groups = {};
      }),
      expected: /connections\[0\]/,
    },
  ])('refuses $reason', ({ text, expected }) => {
    expect(problems(text)).toMatch(expected);
  });
});
