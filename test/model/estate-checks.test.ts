import type { Estate } from '../../shared/model';
import { estateIssues, formatJsonPath, parseIsoTimestamp } from '../../shared/model/estate-checks';
import { HUB, SPOKE_A, awsRef, estate, network, peering } from '../support/estate-builder';

const hub = network(awsRef(HUB, 'vpc-hub'), ['10.0.0.0/16'], {});
const spoke = network(awsRef(SPOKE_A, 'vpc-a'), ['10.1.0.0/16', '2600:1f18::/56'], {});
const link = peering('pcx-1', spoke, hub, 'active');

describe('estateIssues', () => {
  it.each<{ reason: string; estate: Estate; want: { path: string; message: RegExp }[] }>([
    { reason: 'a well-formed snapshot has no issues', estate: estate([hub, spoke], [link]), want: [] },
    {
      reason: 'a range that does not parse is located by its JSON path',
      estate: estate([hub, { ...spoke, cidrs: ['10.1.0.0/16', '10.0.0.300/33'] }]),
      want: [{ path: 'networks[1].cidrs[1]', message: /"10\.0\.0\.300\/33" is not a CIDR/ }],
    },
    {
      reason: "a peering's announced ranges are ranges too",
      estate: estate([hub, spoke], [{ ...link, accepterCidrs: ['pl-63a5400a'] }]),
      want: [{ path: 'peerings[0].accepterCidrs[0]', message: /"pl-63a5400a" is not a CIDR/ }],
    },
    {
      reason: 'a duplicate network key names both places (a Map would keep only the last)',
      estate: estate([hub, spoke, { ...hub, cidrs: ['10.9.0.0/16'] }]),
      want: [
        {
          path: 'networks[2]',
          message: /duplicate network aws:111111111111:us-east-1:vpc-hub \(also at networks\[0\]\)/,
        },
      ],
    },
    {
      reason: 'a duplicate peering id in one cloud names both places',
      estate: estate([hub, spoke], [link, { ...link, state: 'deleted' }]),
      want: [{ path: 'peerings[1]', message: /duplicate aws peering pcx-1 \(also at peerings\[0\]\)/ }],
    },
    {
      reason: 'the same id in two clouds is two peerings',
      estate: estate([hub, spoke], [link, { ...link, cloud: 'gcp' }]),
      want: [],
    },
    {
      reason: 'an observedAt that is not a timestamp',
      estate: estate([hub], [], { observedAt: 'last tuesday' }),
      want: [{ path: 'observedAt', message: /"last tuesday" is not an ISO timestamp/ }],
    },
    {
      reason: 'a pending request whose expiry is not a timestamp',
      estate: estate([hub, spoke], [{ ...link, state: 'requested', expiresAt: '2026-11-31T00:00:00Z' }]),
      want: [{ path: 'peerings[0].expiresAt', message: /not an ISO timestamp/ }],
    },
    {
      reason: 'incomplete without a gap cannot say what was not read',
      estate: estate([hub], [], { complete: false, gaps: [] }),
      want: [{ path: 'gaps', message: /complete is false but no gap/ }],
    },
    {
      reason: 'complete with gaps contradicts itself',
      estate: estate([hub], [], { complete: true, gaps: ['aws 222222222222: AccessDenied'] }),
      want: [{ path: 'complete', message: /complete is true but gaps lists 1/ }],
    },
    {
      reason: 'complete with an unread partition contradicts itself',
      estate: estate([hub], [], {
        complete: true,
        gaps: [],
        unread: [{ cloud: 'aws', account: SPOKE_A, reason: 'AccessDenied' }],
      }),
      want: [{ path: 'complete', message: /complete is true but unread lists 1/ }],
    },
    {
      reason: 'incomplete with its gaps is a valid snapshot',
      estate: estate([hub], [], { complete: false, gaps: ['aws 222222222222: AccessDenied'] }),
      want: [],
    },
  ])('$reason', ({ estate: snapshot, want }) => {
    const issues = estateIssues(snapshot);
    expect(issues).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(issues[i]?.path).toBe(w.path);
      expect(issues[i]?.message).toMatch(w.message);
    });
  });
});

describe('parseIsoTimestamp', () => {
  it.each([
    { reason: 'UTC with milliseconds', text: '2026-11-20T12:00:00.000Z', want: '2026-11-20T12:00:00.000Z' },
    { reason: 'an offset', text: '2026-11-20T14:00:00+02:00', want: '2026-11-20T12:00:00.000Z' },
    { reason: 'no zone: the host zone would decide', text: '2026-11-20T12:00:00', want: undefined },
    { reason: 'a date alone', text: '2026-11-20', want: undefined },
    { reason: 'February 30 is not a day', text: '2026-02-30T00:00:00Z', want: undefined },
    { reason: 'minute 60 is not a minute', text: '2026-11-20T12:60:00Z', want: undefined },
    { reason: 'not a string', text: 1795176000000, want: undefined },
  ])('reads a timestamp only when it is one: $reason', ({ text, want }) => {
    expect(parseIsoTimestamp(text)?.toISOString()).toBe(want);
  });
});

describe('formatJsonPath', () => {
  it.each([
    { reason: 'indexes in brackets, keys after dots', path: ['networks', 3, 'cidrs', 1], want: 'networks[3].cidrs[1]' },
    { reason: 'the root has a name', path: [], want: '(root)' },
  ])('$reason', ({ path, want }) => {
    expect(formatJsonPath(path)).toBe(want);
  });
});
