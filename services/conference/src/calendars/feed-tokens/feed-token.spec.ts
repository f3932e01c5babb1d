import { feedTokenHash, isFeedTokenForm, newFeedToken } from './feed-token';

describe('feed tokens', () => {
  it('are 256-bit base64url secrets, each different, stored as their SHA-256', () => {
    const tokens = Array.from({ length: 200 }, () => newFeedToken());
    expect(new Set(tokens.map((t) => t.token)).size).toBe(200);
    for (const { token, hash } of tokens) {
      expect(isFeedTokenForm(token)).toBe(true);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(hash).toHaveLength(32);
      expect(hash.equals(feedTokenHash(token))).toBe(true);
    }
  });

  it('refuses anything that is not of that form', () => {
    for (const bad of [
      '',
      'a'.repeat(42),
      'a'.repeat(44),
      'a'.repeat(42) + '=',
      'a'.repeat(42) + '/',
      'ä'.repeat(43),
    ]) {
      expect(isFeedTokenForm(bad)).toBe(false);
    }
  });
});
