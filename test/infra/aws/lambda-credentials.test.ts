import { defaultProvider } from '../../../infra/aws/lambda-credentials.cjs';

describe("the Lambda bundles' credential provider (the environment Lambda sets)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    {
      reason: 'the function role: key, secret and session token',
      env: { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cr3t', AWS_SESSION_TOKEN: 'tok' },
      expected: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's3cr3t', sessionToken: 'tok' },
    },
    {
      reason: 'long-term keys have no session token, and none is invented',
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 's3cr3t' },
      expected: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 's3cr3t' },
    },
    {
      reason: 'an expiry, when given, lets the SDK refresh in time',
      env: { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B', AWS_CREDENTIAL_EXPIRATION: '2026-11-21T12:00:00Z' },
      expected: { accessKeyId: 'A', secretAccessKey: 'B', expiration: new Date('2026-11-21T12:00:00Z') },
    },
  ])('reads $reason', async ({ env, expected }) => {
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'])
      delete process.env[k];
    Object.assign(process.env, env);
    expect(await defaultProvider()()).toEqual(expected);
  });

  it('says what is missing instead of falling back to profiles or instance metadata', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = 'x';
    await expect(defaultProvider()()).rejects.toThrow(/no AWS credentials in the environment .*built for Lambda/);
  });
});
