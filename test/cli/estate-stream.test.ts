import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EstateSyntaxError, readEstateDocument, writeEstateFile } from '../../shared/cli/estate-stream';
import { readEstate, writeEstate } from '../../shared/cli/io';
import { generateEstate } from '../bench/estate-generator';

const dir = mkdtempSync(join(tmpdir(), 'pk-estate-stream-'));
const whole = (path: string) => () => readFileSync(path, 'utf8');
const read = (path: string) => readEstateDocument(path, whole(path));

/** A small estate whose names and tags carry multi-byte text, so that chunk boundaries fall inside characters. */
function estateOf(networks: number): object {
  const { estate } = generateEstate(networks);
  estate.networks.forEach((n, i) => {
    n.name = `réseau-${i}-${'é✓'.repeat(i % 7)}`;
    n.tags.note = 'ünïcode, with "quotes", commas,\nand a newline';
  });
  return { ...estate, gaps: ['aws: DescribeVpcs failed, twice,'] };
}

describe('estate snapshots, streamed', () => {
  const CASES: { name: string; reason: string; estate: object }[] = [
    { name: 'small', reason: 'every list and scalar comes back as written', estate: estateOf(30) },
    {
      name: 'larger than the 1 MiB read chunk',
      reason: 'lines split across reads (and inside multi-byte characters) are joined',
      estate: estateOf(400),
    },
    {
      name: 'empty lists',
      reason: 'a list with no element is still a list',
      estate: {
        version: 1,
        observedAt: '2026-11-20T12:00:00.000Z',
        complete: true,
        gaps: [],
        accounts: [],
        networks: [],
        peerings: [],
      },
    },
  ];

  it.each(CASES)(
    'round-trips a $name estate in the compact layout, which is still one JSON document',
    ({ name, reason, estate }) => {
      const path = join(dir, `${name}.json`);
      writeEstateFile(path, estate);
      expect({ reason, streamed: read(path) }).toEqual({ reason, streamed: estate });
      expect({ reason, parsed: JSON.parse(readFileSync(path, 'utf8')) as unknown }).toEqual({ reason, parsed: estate });
    },
  );

  it.each(CASES)(
    'writes a $name estate with --pretty byte for byte as JSON.stringify(…, null, 2)',
    ({ name, estate }) => {
      const path = join(dir, `${name}-pretty.json`);
      writeEstateFile(path, estate, { pretty: true });
      expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(estate, null, 2)}\n`);
      expect(read(path)).toEqual(estate);
    },
  );

  it('reads the example snapshot (indented, one document) as before', () => {
    const example = readEstate('examples/estate.json');
    const path = join(dir, 'example-compact.json');
    writeEstate(path, example);
    expect(readEstate(path)).toEqual(example);
    expect(readFileSync(path, 'utf8').split('\n').length).toBe(
      example.accounts.length +
        example.networks.length +
        example.peerings.length +
        example.gaps.length +
        (example.unread?.length ?? 0) +
        6,
    );
  });

  const BROKEN: { name: string; reason: string; text: string; error: RegExp }[] = [
    {
      name: 'truncated',
      reason: 'a crash mid-write must not read as a smaller estate',
      text: '{"version":1,"complete":true,"networks":[\n{"a":1},\n',
      error: /ends before the estate does/,
    },
    {
      name: 'bad element',
      reason: 'the line is named',
      text: '{"version":1,"networks":[\n{"a":1},\n{"a":\n]}\n',
      error: /line 3: not JSON/,
    },
    {
      name: 'trailing text',
      reason: 'nothing may follow the closing line',
      text: '{"version":1,"networks":[\n]}\n{"x":1}\n',
      error: /line 3: text after the end/,
    },
    {
      name: 'not JSON at all',
      reason: 'another layout is read whole and must parse',
      text: 'version: 1\n',
      error: /not JSON/,
    },
  ];
  it.each(BROKEN)('refuses a $name file', ({ name, reason, text, error }) => {
    const path = join(dir, `${name.replace(/ /g, '-')}.json`);
    writeFileSync(path, text);
    let thrown: unknown;
    try {
      read(path);
    } catch (e) {
      thrown = e;
    }
    expect({
      reason,
      isSyntax: thrown instanceof EstateSyntaxError,
      message: (thrown as Error | undefined)?.message,
    }).toEqual({ reason, isSyntax: true, message: expect.stringMatching(error) });
  });
});
