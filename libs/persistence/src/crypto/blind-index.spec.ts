import { randomBytes } from 'node:crypto';
import {
  BlindIndex,
  KeyRingConfigError,
  encryptedTransformer,
  FieldCipher,
  generateDevKeyMaterial,
  parseBlindIndexKey,
  parsePhiKeys,
  normalizeDateOfBirth,
  normalizeName,
  normalizePhone,
  personMatchKey,
} from '../index';

describe('BlindIndex', () => {
  const index = new BlindIndex(randomBytes(32));

  it('is deterministic per key and separates domains', () => {
    const a = index.compute('jane doe', 'person.name');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(index.compute('jane doe', 'person.name')).toBe(a);
    expect(index.compute('jane doe', 'contact.name')).not.toBe(a);
    expect(new BlindIndex(randomBytes(32)).compute('jane doe', 'person.name')).not.toBe(a);
    // The separator keeps (domain, value) pairs from colliding by concatenation.
    expect(index.compute('b', 'a')).not.toBe(index.compute('', 'ab'));
  });

  it('matches a person across spelling variants', () => {
    expect(index.personMatch("  José   O'Brien-Smith ", '1980-02-03')).toBe(
      index.personMatch('JOSE obrien smith', new Date(Date.UTC(1980, 1, 3))),
    );
    expect(index.personMatch('Jose OBrien', '1980-02-03')).not.toBe(index.personMatch('Jose OBrien', '1980-02-04'));
  });

  it('validates its key', () => {
    expect(() => new BlindIndex(randomBytes(16))).toThrow(KeyRingConfigError);
    expect(() => BlindIndex.fromEnv({})).toThrow(/^BLIND_INDEX_KEY/);
    expect(() => BlindIndex.fromEnv({ BLIND_INDEX_KEY: randomBytes(8).toString('base64') })).toThrow(/at least 32/);
    expect(BlindIndex.fromEnv({ BLIND_INDEX_KEY: randomBytes(48).toString('base64') })).toBeInstanceOf(BlindIndex);
    const raw = randomBytes(32);
    const parsed = parseBlindIndexKey(raw.toString('base64'));
    expect(new BlindIndex(parsed).compute('x', 'd')).toBe(new BlindIndex(raw).compute('x', 'd'));
    expect(JSON.stringify({ key: parsed })).not.toContain(raw.toString('base64'));
    expect(() => parseBlindIndexKey('!!!')).toThrow(
      expect.objectContaining({ variable: 'BLIND_INDEX_KEY', message: expect.not.stringContaining('!!!') }),
    );
  });
});

describe('normalizers', () => {
  it('normalizes names', () => {
    expect(normalizeName('  Zoë   Ñúñez-García ')).toBe('zoe nunez garcia');
    expect(normalizeName("O'Brien, Jr.")).toBe('obrien jr');
    expect(normalizeName('ＪＡＮＥ\tDoe')).toBe('jane doe');
    expect(normalizeName('Doe Jane')).not.toBe(normalizeName('Jane Doe'));
  });

  it('normalizes dates of birth and rejects impossible ones without echoing them', () => {
    expect(normalizeDateOfBirth(' 1980-02-03 ')).toBe('1980-02-03');
    expect(normalizeDateOfBirth(new Date(Date.UTC(2000, 1, 29)))).toBe('2000-02-29');
    for (const bad of ['1981-02-29', '1980-13-01', '03/02/1980', '', '1700-01-01']) {
      expect(() => normalizeDateOfBirth(bad)).toThrow(RangeError);
    }
    expect(() => normalizeDateOfBirth(new Date('nope'))).toThrow(RangeError);
    expect(() => normalizeDateOfBirth('1981-02-29')).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('1981') }),
    );
  });

  it('normalizes phone numbers', () => {
    expect(normalizePhone('+1 (555) 010-1234')).toBe('5550101234');
    expect(normalizePhone('555.010.1234')).toBe('5550101234');
    expect(normalizePhone('44 20 7946 0958')).toBe('442079460958');
    expect(() => normalizePhone('12')).toThrow(RangeError);
  });

  it('builds the person match key', () => {
    expect(personMatchKey('Jane  Doe', '1980-02-03')).toBe('jane doe|1980-02-03');
    expect(() => personMatchKey('...', '1980-02-03')).toThrow(RangeError);
  });
});

describe('encryptedTransformer and dev key material', () => {
  it('encrypts on write, decrypts on read, passes null through, and the dev keys load', () => {
    const env: NodeJS.ProcessEnv = { ...generateDevKeyMaterial() };
    const cipher = FieldCipher.fromConfig({
      keys: parsePhiKeys(env.PHI_KEYS ?? ''),
      activeKeyId: env.PHI_ACTIVE_KEY_ID ?? '',
    });
    new BlindIndex(parseBlindIndexKey(env.BLIND_INDEX_KEY ?? ''));
    const t = encryptedTransformer(cipher, { aad: 'person.name' });
    const stored = t.to('Jane');
    expect(stored).toMatch(/^enc:v1:dev1:/);
    expect(t.from(stored)).toBe('Jane');
    expect(t.to(null)).toBeNull();
    expect(t.from(undefined)).toBeUndefined();
    expect(() => encryptedTransformer(cipher, { aad: 'person.notes' }).from(stored)).toThrow();
  });
});
