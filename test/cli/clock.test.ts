import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandNow, parseNow } from '../../shared/cli/clock';
import { runCli } from '../../shared/cli/main';
import type { CliOutput } from '../../shared/cli/output';

function capture(): CliOutput & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    color: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

const POLICY = 'examples/policy.yaml';
const ESTATE = 'examples/estate.json';
/** examples/estate.json's observedAt. */
const OBSERVED = '2026-11-20T12:00:00.000Z';
const WALL = new Date('2031-01-01T00:00:00Z');

describe('commandNow (one clock per command)', () => {
  it.each([
    {
      reason: '--now wins over the snapshot',
      args: { now: '2026-11-21T00:00:00Z', estate: ESTATE },
      want: '2026-11-21T00:00:00.000Z',
    },
    { reason: 'a snapshot replays at its own observedAt', args: { estate: ESTATE }, want: OBSERVED },
    { reason: 'with neither, the (injected) wall clock', args: {}, want: WALL.toISOString() },
    { reason: 'an offset is honoured', args: { now: '2026-11-20T14:00:00+02:00' }, want: OBSERVED },
    { reason: 'a date alone is midnight UTC', args: { now: '2026-11-20' }, want: '2026-11-20T00:00:00.000Z' },
  ])('takes the time from one place: $reason', ({ args, want }) => {
    expect(commandNow(args, () => WALL).toISOString()).toBe(want);
  });

  it.each([
    { reason: 'words are not a time', text: 'yesterday' },
    { reason: 'a time without a zone reads differently on every host', text: '2026-11-20T12:00:00' },
    { reason: 'February has no 30th (Date would roll it into March)', text: '2026-02-30T00:00:00Z' },
    { reason: 'hour 24 is not a time', text: '2026-11-20T24:00:00Z' },
    { reason: 'a date alone must be a real date too', text: '2026-02-30' },
  ])('refuses a --now that is not an ISO timestamp: $reason', ({ text }) => {
    expect(() => parseNow(text)).toThrow(new RegExp(`--now ${text.replace(/[+]/g, '\\+')} is not an ISO timestamp`));
  });
});

describe('approvals, approve and apply agree on the clock', () => {
  // The partner request's approval opens at observedAt and expires 72 h later (examples/policy.yaml ttl).
  it.each([
    { reason: 'the snapshot time: open, and approvable', clock: ['--estate', ESTATE], listed: true, approveCode: 0 },
    {
      reason: 'one minute before expiry: still open',
      clock: ['--now', '2026-11-23T11:59:00Z'],
      listed: true,
      approveCode: 0,
    },
    {
      reason: 'at expiry: neither listed nor approvable',
      clock: ['--now', '2026-11-23T12:00:00Z'],
      listed: false,
      approveCode: 1,
    },
    {
      reason: 'years later: neither listed nor approvable',
      clock: ['--now', '2031-01-01T00:00:00Z'],
      listed: false,
      approveCode: 1,
    },
  ])(
    'lists an approval exactly when approve accepts a decision on it: $reason',
    async ({ clock, listed, approveCode }) => {
      const dir = mkdtempSync(join(tmpdir(), 'peerkeeper-clock-'));
      const state = ['--state-dir', join(dir, 'state')];
      expect(
        await runCli(
          ['apply', '--policy', POLICY, '--estate', ESTATE, '--out', join(dir, 'after.json'), ...state],
          capture(),
        ),
      ).toBe(0);
      const all = capture();
      await runCli(['approvals', '--policy', POLICY, '--estate', ESTATE, '--json', ...state], all);
      const id =
        (JSON.parse(all.stdout) as { id: string; peeringId: string }[]).find(
          (r) => r.peeringId === 'pcx-0bbbb0000partner',
        )?.id ?? '';
      expect(id).not.toBe('');

      const list = capture();
      await runCli(['approvals', '--policy', POLICY, ...clock, ...state], list);
      expect(list.stdout.includes(id)).toBe(listed);
      if (!listed) expect(list.stdout).toMatch(/\d+ more expired by .* without a decision/);
      const decide = capture();
      expect(await runCli(['approve', id, '--policy', POLICY, '--as', 'U012AB3CD', ...clock, ...state], decide)).toBe(
        approveCode,
      );
      if (!listed) expect(decide.stdout + decide.stderr).toMatch(/expired/);
    },
  );
});
