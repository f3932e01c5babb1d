import { problemType } from './problem-types';

describe('problemType', () => {
  it('builds the stable URI of a slug', () => {
    expect(problemType('import-limit-exceeded')).toBe('https://cit-platform.org/problems/import-limit-exceeded');
  });

  it('refuses slugs that would make unstable or odd URIs', () => {
    expect(() => problemType('Import Limit')).toThrow('kebab-case');
    expect(() => problemType('')).toThrow();
  });
});
