import { isOwnIdentity } from '../../shared/events/identity';

describe('isOwnIdentity', () => {
  const cases: Record<string, { reason: string; actor: string | undefined; identities: string[]; want: boolean }> = {
    'exact ARN': {
      reason: 'an IAM user ARN listed as is',
      actor: 'arn:aws:iam::111111111111:user/peerkeeper',
      identities: ['arn:aws:iam::111111111111:user/peerkeeper'],
      want: true,
    },
    'ARN case': {
      reason: 'ARNs and emails compare case-insensitively',
      actor: 'PeerKeeper@Example.iam.gserviceaccount.com',
      identities: ['peerkeeper@example.iam.gserviceaccount.com'],
      want: true,
    },
    'role → assumed-role session': {
      reason: 'CloudTrail logs the STS session, never the role',
      actor: 'arn:aws:sts::111111111111:assumed-role/peerkeeper-executor/reconcile-1',
      identities: ['arn:aws:iam::111111111111:role/peerkeeper-executor'],
      want: true,
    },
    'role with path': {
      reason: 'the session ARN drops the role path',
      actor: 'arn:aws:sts::111111111111:assumed-role/peerkeeper-executor/s',
      identities: ['arn:aws:iam::111111111111:role/service/peerkeeper-executor'],
      want: true,
    },
    'role in any account': {
      reason: '* stands for every member account',
      actor: 'arn:aws:sts::222222222222:assumed-role/peerkeeper-executor/s',
      identities: ['arn:aws:iam::*:role/peerkeeper-executor'],
      want: true,
    },
    'role in another account': {
      reason: 'the same role name in an account not listed is someone else',
      actor: 'arn:aws:sts::333333333333:assumed-role/peerkeeper-executor/s',
      identities: ['arn:aws:iam::111111111111:role/peerkeeper-executor'],
      want: false,
    },
    'other role': {
      reason: 'a prefix is not a match',
      actor: 'arn:aws:sts::111111111111:assumed-role/peerkeeper-executor-old/s',
      identities: ['arn:aws:iam::111111111111:role/peerkeeper-executor'],
      want: false,
    },
    'wildcard role name': {
      reason: 'role families: peerkeeper-*',
      actor: 'arn:aws:sts::111111111111:assumed-role/peerkeeper-accepter/s',
      identities: ['arn:aws:iam::*:role/peerkeeper-*'],
      want: true,
    },
    'bare role name': {
      reason: 'a bare name matches the assumed-role name in any account',
      actor: 'arn:aws:sts::111111111111:assumed-role/peerkeeper-executor/s',
      identities: ['peerkeeper-executor'],
      want: true,
    },
    'bare name is not a session': {
      reason: 'the bare name matches the role, not the session name',
      actor: 'arn:aws:sts::111111111111:assumed-role/admin/peerkeeper-executor',
      identities: ['peerkeeper-executor'],
      want: false,
    },
    'China partition': {
      reason: 'aws-cn roles assume into aws-cn sessions',
      actor: 'arn:aws-cn:sts::111111111111:assumed-role/pk/s',
      identities: ['arn:aws-cn:iam::111111111111:role/pk'],
      want: true,
    },
    GUID: {
      reason: 'Azure object ids compare case-insensitively',
      actor: 'A1B2C3D4-0000-0000-0000-000000000001',
      identities: ['a1b2c3d4-0000-0000-0000-000000000001'],
      want: true,
    },
    'no actor': { reason: 'service events have no ARN', actor: undefined, identities: ['*'], want: false },
    'empty entry': {
      reason: 'an empty entry must not match an empty-ish actor',
      actor: 'x',
      identities: [''],
      want: false,
    },
    'regex characters are literal': {
      reason: '. in an email is not "any character"',
      actor: 'peerkeeperXexample.com',
      identities: ['peerkeeper.example.com'],
      want: false,
    },
    'no identities': {
      reason: 'nothing configured, nothing is ours',
      actor: 'arn:aws:sts::1:assumed-role/a/b',
      identities: [],
      want: false,
    },
  };

  it.each(Object.entries(cases))('%s', (_name, { actor, identities, want }) => {
    expect(isOwnIdentity(actor, identities)).toBe(want);
  });
});
