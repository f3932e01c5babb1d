import { randomBytes } from 'node:crypto';
import { BlindIndex, FieldCipher } from '@cit/persistence';
import { NominationIdentity } from './nomination-identity';

describe('nomination person keys (blind index per department, versioned)', () => {
  const cipher = FieldCipher.fromConfig({ keys: new Map([['k1', randomBytes(32)]]), activeKeyId: 'k1' });
  const master = randomBytes(32);
  const now = new Date('2026-01-01T00:00:00Z');
  const person = { name: 'Pat Nominee', birthDate: '1980-02-03' };

  it('keys the same person differently in two departments', () => {
    const identity = new NominationIdentity(cipher, new BlindIndex(master));
    const a = identity.protect('dept-a', person, now);
    const b = identity.protect('dept-b', person, now);
    expect(a.personKey).toMatch(/^bix:v1:[0-9a-f]{64}$/);
    expect(b.personKey).toMatch(/^bix:v1:[0-9a-f]{64}$/);
    expect(b.personKey).not.toBe(a.personKey);
    expect(identity.protect('dept-a', { ...person, name: 'PAT  nominee' }, now).personKey).toBe(a.personKey);
  });

  it('during a rotation stores the new version and looks up both', () => {
    const before = new NominationIdentity(cipher, new BlindIndex(master, { previousVersion: null })).protect(
      'dept-a',
      person,
      now,
    );
    const during = new NominationIdentity(
      cipher,
      new BlindIndex(master, { activeVersion: 2, previousVersion: 1 }),
    ).protect('dept-a', person, now);
    expect(during.personKey).toMatch(/^bix:v2:/);
    expect(during.personKeys).toEqual([during.personKey, before.personKey]);
    // An intake person id is not a blind index: one key whatever the version.
    expect(
      new NominationIdentity(cipher, new BlindIndex(master, { activeVersion: 2, previousVersion: 1 })).protect(
        'dept-a',
        { personId: 'per_1' },
        now,
      ).personKeys,
    ).toEqual(['per_1']);
  });
});
