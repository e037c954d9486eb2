import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vector from '../../fixtures/slack/slack-signature-verification-vector.json';
import {
  APPROVE_ACTION_ID,
  parseInteraction,
  parseSlashCommand,
  parseSlashText,
  REJECT_ACTION_ID,
  type SlashRequest,
} from '../../../shared/approvals/slack/parse';
import { MalformedEventError } from '../../../shared/errors';
import { peerkeeperClick } from './clicks';

const rawFixture = readFileSync(join(__dirname, '../../fixtures/slack/slack-block_actions-raw-body.txt'), 'utf8');

describe('parseInteraction', () => {
  it('reads the vendor raw body, and refuses its button because it is not a peerkeeper button', () => {
    expect(decodeURIComponent(rawFixture.slice('payload='.length))).toContain('"action_id": "a"');
    expect(() => parseInteraction(rawFixture)).toThrow(new MalformedEventError('not a peerkeeper button: a'));
  });

  it('reads a click on Approve: who, which approval, where to answer, which message', () => {
    expect(parseInteraction(peerkeeperClick(APPROVE_ACTION_ID, 'aws-3f9a0c1b2d4e'))).toEqual({
      action: 'approve',
      approvalId: 'aws-3f9a0c1b2d4e',
      user: { id: 'W111', name: 'primary-owner' },
      responseUrl: 'https://hooks.slack.com/actions/T111/111/random-value',
      channel: 'C111',
      messageTs: '111.222',
    });
    expect(parseInteraction(peerkeeperClick(REJECT_ACTION_ID, 'x')).action).toBe('reject');
  });

  const malformed: { reason: string; body: string; message: RegExp }[] = [
    { reason: 'no payload field', body: 'token=x', message: /without a payload/ },
    { reason: 'payload is not JSON', body: 'payload=%7Bnot', message: /not JSON/ },
    {
      reason: 'a view_submission is not a button click',
      body: peerkeeperClick(APPROVE_ACTION_ID, 'x', (p) => {
        p.type = 'view_submission';
      }),
      message: /not a block_actions/,
    },
    {
      reason: 'a button without a value names no approval',
      body: peerkeeperClick(APPROVE_ACTION_ID, ''),
      message: /without an approval id/,
    },
    {
      reason: 'no message to update',
      body: peerkeeperClick(APPROVE_ACTION_ID, 'x', (p) => {
        delete p.container;
      }),
      message: /without a channel and message/,
    },
    {
      reason: 'a response_url that is not a URL',
      body: peerkeeperClick(APPROVE_ACTION_ID, 'x', (p) => {
        p.response_url = 'nope';
      }),
      message: /response_url/,
    },
  ];
  it.each(malformed)('refuses $reason', ({ body, message }) => {
    expect(() => parseInteraction(body)).toThrow(MalformedEventError);
    expect(() => parseInteraction(body)).toThrow(message);
  });
});

describe('parseSlashCommand', () => {
  it("reads the fields of Slack's documented slash command body", () => {
    expect(parseSlashCommand(vector.body)).toEqual({
      command: '/webhook-collect',
      request: { kind: 'help' },
      user: { id: 'U2CERLKJA', name: 'roadrunner' },
      channel: 'G8PSS9T3V',
      responseUrl: 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
    });
  });

  it('refuses a body without a user', () => {
    expect(() => parseSlashCommand('command=%2Fpeerkeeper&text=pending')).toThrow(MalformedEventError);
  });

  const texts: { reason: string; text: string; want: SlashRequest }[] = [
    { reason: 'list pending approvals', text: 'pending', want: { kind: 'pending' } },
    {
      reason: 'approve by id',
      text: 'approve aws-3f9a0c1b2d4e',
      want: { kind: 'approve', approvalId: 'aws-3f9a0c1b2d4e' },
    },
    {
      reason: 'reject with a multi-word reason',
      text: '  reject aws-1  overlaps the lab range ',
      want: { kind: 'reject', approvalId: 'aws-1', note: 'overlaps the lab range' },
    },
    { reason: 'verbs are case-insensitive', text: 'APPROVE aws-1', want: { kind: 'approve', approvalId: 'aws-1' } },
    {
      reason: 'approve without an id explains itself',
      text: 'approve',
      want: { kind: 'help', problem: '`approve` needs an approval id' },
    },
    {
      reason: 'an unknown verb gets help',
      text: 'delete aws-1',
      want: { kind: 'help', problem: 'unknown subcommand `delete`' },
    },
    { reason: 'no text gets help', text: '', want: { kind: 'help' } },
  ];
  it.each(texts)('$reason', ({ text, want }) => {
    expect(parseSlashText(text)).toEqual(want);
  });
});
