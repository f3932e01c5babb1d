import { randomBytes } from 'node:crypto';
import { BlindIndex } from '@cit/persistence';
import { identityIndexes, personPhoneIndex } from './person-indexes';

describe('personPhoneIndex', () => {
  const index = new BlindIndex(randomBytes(32)).forDepartment('dept_a');

  it('matches spelling and formatting variants of the same name and phone', () => {
    const a = personPhoneIndex(index, 'José  O’Brien', '+1 (617) 555-0142');
    expect(a).toMatch(/^v1:[0-9a-f]{64}$/);
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

describe('identityIndexes', () => {
  it('gives both indexes under the active version and, during a rotation, under the previous one', () => {
    const master = randomBytes(32);
    const v1 = new BlindIndex(master, { previousVersion: null }).forDepartment('dept_a');
    const rotating = new BlindIndex(master, { activeVersion: 2, previousVersion: 1 }).forDepartment('dept_a');
    const before = identityIndexes(v1, 'Pat Doe', '1980-02-03', '6175550100');
    expect(before.previous).toBeNull();
    const during = identityIndexes(rotating, 'Pat Doe', '1980-02-03', '6175550100');
    expect(during.personMatchIndex).toMatch(/^v2:/);
    expect(during.previous).toEqual({
      personMatchIndex: before.personMatchIndex,
      personPhoneIndex: before.personPhoneIndex,
    });
    expect(identityIndexes(rotating, '???', '1980-02-03', null)).toEqual({
      personMatchIndex: null,
      personPhoneIndex: null,
      previous: null,
    });
  });
});
