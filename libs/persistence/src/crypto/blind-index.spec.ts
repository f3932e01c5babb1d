import { randomBytes } from 'node:crypto';
import {
  BlindIndex,
  blindIndexVersionOf,
  KeyRingConfigError,
  LEGACY_VERSION,
  parseBlindIndexVersionKeys,
  parsePreviousBlindIndexVersion,
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
  const a = index.forDepartment('dept_a');

  it('is deterministic per key and department, separates domains, and prefixes the version', () => {
    const x = a.compute('jane doe', 'person.name');
    expect(x).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(a.compute('jane doe', 'person.name')).toBe(x);
    expect(index.forDepartment('dept_a').compute('jane doe', 'person.name')).toBe(x);
    expect(a.compute('jane doe', 'person.alias')).not.toBe(x);
    expect(new BlindIndex(randomBytes(32)).forDepartment('dept_a').compute('jane doe', 'person.name')).not.toBe(x);
  });

  it('gives the same person unrelated indexes in two departments (per-department derived keys)', () => {
    const inA = a.personMatch('Jane Doe', '1980-02-03');
    const inB = index.forDepartment('dept_b').personMatch('Jane Doe', '1980-02-03');
    expect(inB).not.toBe(inA);
    // Not the legacy global HMAC either: nothing links the departments' values.
    const legacy = index.computeAt(LEGACY_VERSION, 'dept_a', 'jane doe|1980-02-03', 'person.match.v1');
    expect(legacy).toMatch(/^[0-9a-f]{64}$/);
    expect(inA.slice(3)).not.toBe(legacy);
    expect(inB.slice(3)).not.toBe(legacy);
    expect(index.computeAt(LEGACY_VERSION, 'dept_b', 'jane doe|1980-02-03', 'person.match.v1')).toBe(legacy);
  });

  it('normalizes the person match input', () => {
    expect(a.personMatch("  José   O'Brien-Smith ", '1980-02-03')).toBe(
      a.personMatch('JOSE obrien smith', new Date(Date.UTC(1980, 1, 3))),
    );
    expect(a.personMatch('Jose OBrien', '1980-02-03')).not.toBe(a.personMatch('Jose OBrien', '1980-02-04'));
  });

  it('writes with the active version, looks up with the active and the previous one', () => {
    const master = randomBytes(32);
    const before = new BlindIndex(master).forDepartment('dept_a');
    const rotating = new BlindIndex(master, { activeVersion: 2, previousVersion: 1 }).forDepartment('dept_a');
    const v1 = before.compute('x', 'd');
    const v2 = rotating.compute('x', 'd');
    expect(v2).toMatch(/^v2:/);
    expect(v2.slice(3)).not.toBe(v1.slice(3));
    expect(rotating.previous('x', 'd')).toBe(v1);
    expect(rotating.lookup('x', 'd')).toEqual([v2, v1]);
    expect(
      new BlindIndex(master, { activeVersion: 2, previousVersion: null }).forDepartment('dept_a').lookup('x', 'd'),
    ).toEqual([v2]);
    // By default (version 1 active) the legacy unversioned indexes are still accepted.
    expect(before.lookup('x', 'd')).toEqual([v1, new BlindIndex(master).computeAt(LEGACY_VERSION, 'dept_a', 'x', 'd')]);
    expect(blindIndexVersionOf(v2)).toBe(2);
    expect(blindIndexVersionOf(v1.slice(3))).toBe(LEGACY_VERSION);
    expect(blindIndexVersionOf('bix:nope')).toBeNull();
  });

  it('derives a version from its own master key when BLIND_INDEX_KEYS names one', () => {
    const master = randomBytes(32);
    const fresh = randomBytes(32);
    const own = new BlindIndex(master, { activeVersion: 2, previousVersion: 1, versionKeys: new Map([[2, fresh]]) });
    const derived = new BlindIndex(master, { activeVersion: 2, previousVersion: 1 });
    expect(own.forDepartment('d').compute('x', 'd')).not.toBe(derived.forDepartment('d').compute('x', 'd'));
    expect(own.forDepartment('d').previous('x', 'd')).toBe(derived.forDepartment('d').previous('x', 'd'));
    // Settings cross to a worker thread and rebuild the same indexes.
    expect(BlindIndex.fromSettings(own.settings()).forDepartment('d').lookup('x', 'd')).toEqual(
      own.forDepartment('d').lookup('x', 'd'),
    );
  });

  it('refuses short keys and bad rotation settings, naming the variable but never the value', () => {
    expect(() => new BlindIndex(randomBytes(16))).toThrow(KeyRingConfigError);
    expect(() => BlindIndex.fromEnv({})).toThrow(/^BLIND_INDEX_KEY/);
    expect(() => BlindIndex.fromEnv({ BLIND_INDEX_KEY: randomBytes(8).toString('base64') })).toThrow(/at least 32/);
    expect(BlindIndex.fromEnv({ BLIND_INDEX_KEY: randomBytes(48).toString('base64') })).toBeInstanceOf(BlindIndex);
    const key = randomBytes(32).toString('base64');
    expect(() => BlindIndex.fromEnv({ BLIND_INDEX_KEY: key, BLIND_INDEX_ACTIVE_VERSION: 'two' })).toThrow(
      /^BLIND_INDEX_ACTIVE_VERSION/,
    );
    expect(() =>
      BlindIndex.fromEnv({ BLIND_INDEX_KEY: key, BLIND_INDEX_ACTIVE_VERSION: '2', BLIND_INDEX_PREVIOUS_VERSION: '2' }),
    ).toThrow(/^BLIND_INDEX_PREVIOUS_VERSION/);
    expect(() => parsePreviousBlindIndexVersion('latest')).toThrow(/^BLIND_INDEX_PREVIOUS_VERSION/);
    expect(parsePreviousBlindIndexVersion(undefined)).toBe(LEGACY_VERSION);
    expect(parsePreviousBlindIndexVersion('none')).toBeNull();
    expect(parsePreviousBlindIndexVersion('3')).toBe(3);
    expect(parseBlindIndexVersionKeys(`2:${key}`).get(2)?.length).toBe(32);
    expect(() => parseBlindIndexVersionKeys(`2:${key},2:${key}`)).toThrow(/entry 2 repeats version 2/);
    expect(() => parseBlindIndexVersionKeys('2:c2hvcnQ=')).toThrow(
      expect.objectContaining({
        variable: 'BLIND_INDEX_KEYS',
        message: expect.stringMatching(/entry 1 must be at least 32 bytes/),
      }),
    );
    expect(() => parseBlindIndexVersionKeys(key)).toThrow(/^BLIND_INDEX_KEYS: entry 1 must be "version:base64"/);
    const raw = randomBytes(32);
    const parsed = parseBlindIndexKey(raw.toString('base64'));
    expect(new BlindIndex(parsed).forDepartment('d').compute('x', 'd')).toBe(
      new BlindIndex(raw).forDepartment('d').compute('x', 'd'),
    );
    expect(
      JSON.stringify({ key: parsed, index: new BlindIndex(raw), dept: new BlindIndex(raw).forDepartment('d') }),
    ).not.toContain(raw.toString('base64'));
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
