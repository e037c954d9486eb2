import { readFileSync } from 'node:fs';
import { policyReferenceMarkdown } from '../shared/policy';

describe('README', () => {
  const readme = readFileSync('README.md', 'utf8');

  it('embeds the policy reference generated from the schema (regenerate: npx peerkeeper schema --markdown)', () => {
    const start = readme.indexOf('<!-- policy-reference:start -->\n');
    const end = readme.indexOf('<!-- policy-reference:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + '<!-- policy-reference:start -->\n'.length, end)).toBe(policyReferenceMarkdown());
  });

  it('shows the two commands a new user runs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
