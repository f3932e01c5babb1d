import { idSchema } from './envelope';
import { newId } from './ids';

describe('newId', () => {
  it('makes distinct prefixed ids that are valid identifiers', () => {
    const a = newId('inc');
    expect(a).toMatch(/^inc_[0-9a-f]{32}$/);
    expect(idSchema.safeParse(a).success).toBe(true);
    expect(newId('inc')).not.toBe(a);
  });

  it('refuses prefixes that would not read as one', () => {
    expect(() => newId('Inc-')).toThrow('prefix');
  });
});
