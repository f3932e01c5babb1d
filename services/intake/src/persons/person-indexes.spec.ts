import { BlindIndex } from '@cit/persistence';
import { personPhoneIndex } from './person-indexes';

describe('personPhoneIndex', () => {
  const index = new BlindIndex(Buffer.alloc(32, 7));

  it('matches spelling and formatting variants of the same name and phone', () => {
    const a = personPhoneIndex(index, 'José  O’Brien', '+1 (617) 555-0142');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(personPhoneIndex(index, 'jose obrien', '617.555.0142')).toBe(a);
  });

  it('differs from the name + dob index domain and by phone', () => {
    expect(personPhoneIndex(index, 'Pat Doe', '6175550100')).not.toBe(personPhoneIndex(index, 'Pat Doe', '6175550101'));
  });

  it('is null when there is nothing to match on', () => {
    expect(personPhoneIndex(index, 'Pat Doe', undefined)).toBeNull();
    expect(personPhoneIndex(index, '???', '6175550100')).toBeNull();
    expect(personPhoneIndex(index, 'Pat Doe', '(555)')).toBeNull();
  });
});
