import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { FieldCipher, KeyRing, KeyRingConfigError, parsePhiKeys, PhiCryptoError } from '../index';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring = (active: string, keys: Record<string, Buffer> = { k1, k2 }) => new KeyRing(keys, active);

function flipChar(token: string, field: number): string {
  const parts = token.split(':');
  const s = parts[field]!;
  // Flip a character in the middle, keeping base64url, so only the bytes change.
  const i = Math.floor(s.length / 2);
  parts[field] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join(':');
}

describe('FieldCipher', () => {
  const cipher = new FieldCipher(ring('k1'));

  it('round-trips, including empty and non-ASCII strings', () => {
    for (const plain of ['Jane Doe', '', 'Zoë Ñúñez 👩‍⚕️', 'x'.repeat(10_000)]) {
      const token = cipher.encrypt(plain);
      expect(token).toMatch(/^enc:v1:k1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]*$/);
      expect(cipher.decrypt(token)).toBe(plain);
    }
  });

  it('uses a fresh data key and IV per value', () => {
    const a = cipher.encrypt('same');
    const b = cipher.encrypt('same');
    expect(a).not.toBe(b);
    expect(a.split(':')[3]).not.toBe(b.split(':')[3]);
    expect(a).not.toContain('same');
  });

  it.each([
    ['wrapped data key', 3],
    ['iv', 4],
    ['tag', 5],
    ['ciphertext', 6],
  ])('detects tampering with the %s', (_name, field) => {
    const token = cipher.encrypt('Jane Doe, DOB 1980-02-03');
    const bad = flipChar(token, field);
    expect(bad).not.toBe(token);
    expect(() => cipher.decrypt(bad)).toThrow(PhiCryptoError);
    try {
      cipher.decrypt(bad);
    } catch (err) {
      expect((err as Error).message).not.toContain('Jane');
    }
  });

  it('rejects a relabelled key id even if the key exists', () => {
    const token = cipher.encrypt('secret');
    const relabelled = token.replace('enc:v1:k1:', 'enc:v1:k2:');
    expect(() => cipher.decrypt(relabelled)).toThrow(/could not be unwrapped/);
  });

  it('binds the ciphertext to its AAD', () => {
    const token = cipher.encrypt('Jane', 'person.name:1');
    expect(cipher.decrypt(token, 'person.name:1')).toBe('Jane');
    expect(() => cipher.decrypt(token, 'person.name:2')).toThrow(PhiCryptoError);
    expect(() => cipher.decrypt(token)).toThrow(/associated data/);
    expect(() => cipher.decrypt(cipher.encrypt('Jane'), 'person.name:1')).toThrow(PhiCryptoError);
  });

  it('fails clearly on unknown key ids and malformed tokens, without echoing them', () => {
    const other = new FieldCipher(new KeyRing({ k3: randomBytes(32) }, 'k3'));
    const token = other.encrypt('Jane');
    expect(() => cipher.decrypt(token)).toThrow(expect.objectContaining({ code: 'UNKNOWN_KEY' }));
    expect(() => cipher.decrypt('Jane Doe')).toThrow(expect.objectContaining({ code: 'MALFORMED_TOKEN' }));
    expect(() => cipher.decrypt('enc:v1:k1:abc')).toThrow(expect.objectContaining({ code: 'MALFORMED_TOKEN' }));
    expect(() => cipher.decrypt('enc:v1:k1:a:b:c:d$')).toThrow(expect.objectContaining({ code: 'MALFORMED_TOKEN' }));
  });

  it('recognizes tokens', () => {
    expect(cipher.isEncrypted(cipher.encrypt('x'))).toBe(true);
    expect(cipher.isEncrypted('x')).toBe(false);
    expect(cipher.isEncrypted(null)).toBe(false);
  });

  it('rotates: old tokens decrypt by kid, rewrap moves them to the active key and keeps the data ciphertext', () => {
    const old = new FieldCipher(ring('k1')).encrypt('Jane Doe', 'person.name:7');
    const rotated = new FieldCipher(ring('k2'));

    expect(rotated.decrypt(old, 'person.name:7')).toBe('Jane Doe');
    expect(rotated.needsRewrap(old)).toBe(true);
    expect(rotated.encrypt('new').startsWith('enc:v1:k2:')).toBe(true);

    const rewrapped = rotated.rewrap(old);
    expect(rotated.keyIdOf(rewrapped)).toBe('k2');
    expect(rotated.needsRewrap(rewrapped)).toBe(false);
    expect(rewrapped.split(':').slice(4)).toEqual(old.split(':').slice(4));
    expect(rewrapped.split(':')[3]).not.toBe(old.split(':')[3]);
    expect(rotated.decrypt(rewrapped, 'person.name:7')).toBe('Jane Doe');
    expect(rotated.rewrap(rewrapped)).toBe(rewrapped);

    // Once every token is re-wrapped, the old key can leave the ring.
    const k2Only = new FieldCipher(new KeyRing({ k2 }, 'k2'));
    expect(k2Only.decrypt(rewrapped, 'person.name:7')).toBe('Jane Doe');
    expect(() => k2Only.decrypt(old, 'person.name:7')).toThrow(expect.objectContaining({ code: 'UNKNOWN_KEY' }));
  });
});

describe('KeyRing', () => {
  const b64 = (b: Buffer) => b.toString('base64');

  it('parses PHI_KEYS and builds the ring and cipher from parsed configuration', () => {
    const keys = parsePhiKeys(`k1:${b64(k1)}, k2:${k2.toString('base64url')}`);
    const r = new KeyRing(keys, 'k2');
    expect(r.activeKeyId).toBe('k2');
    expect(r.keyIds).toEqual(['k1', 'k2']);
    expect(r.key('k2').equals(k2)).toBe(true);
    expect(FieldCipher.fromConfig({ keys, activeKeyId: 'k1' }).activeKeyId).toBe('k1');
    // Parsed keys may sit in a configuration object that someone logs.
    expect(JSON.stringify(Object.fromEntries(keys))).not.toContain(b64(k1));
    expect(inspect(keys)).not.toContain(b64(k1));
    expect(inspect(keys)).not.toMatch(/[0-9a-f]{2} [0-9a-f]{2} [0-9a-f]{2}/);
  });

  it.each([
    [{ PHI_KEYS: '' }, 'PHI_KEYS', /required/],
    [{ PHI_KEYS: 'nocolon' }, 'PHI_KEYS', /entry 1/],
    [{ PHI_KEYS: 'k1:!!!notbase64' }, 'PHI_KEYS', /base64/],
    [{ PHI_KEYS: `k1:${randomBytes(16).toString('base64')}` }, 'PHI_KEYS', /32 bytes/],
    [{ PHI_KEYS: `k1:${b64(k1)},k1:${b64(k2)}` }, 'PHI_KEYS', /entry 2 appears twice/],
    [{ PHI_KEYS: `bad id:${b64(k1)}` }, 'PHI_KEYS', /key id of entry 1/],
    [{ PHI_KEYS: `k1:${b64(k1)}`, PHI_ACTIVE_KEY_ID: 'k9' }, 'PHI_ACTIVE_KEY_ID', /not one of/],
  ])('rejects bad config %# naming the variable, never the value', (env, variable, message) => {
    let error: unknown;
    try {
      const keys = parsePhiKeys(env.PHI_KEYS);
      new KeyRing(keys, env.PHI_ACTIVE_KEY_ID ?? 'k1');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KeyRingConfigError);
    expect((error as KeyRingConfigError).variable).toBe(variable);
    expect((error as Error).message.startsWith(`${variable}:`)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(b64(k1));
    expect((error as Error).message).not.toMatch(/bad id|k9/);
  });

  it('never shows key material when logged', () => {
    const r = ring('k1');
    expect(JSON.stringify(r)).not.toContain(b64(k1));
    expect(inspect(r)).not.toContain(b64(k1));
    expect(inspect(r)).toContain('k1');
  });
});

describe('FieldCipher.session', () => {
  const { KeyRing } = jest.requireActual('./key-ring') as typeof import('./key-ring');
  const { FieldCipher } = jest.requireActual('./field-cipher') as typeof import('./field-cipher');
  const ring = new KeyRing({ s1: Buffer.alloc(32, 7) }, 's1');
  const cipher = new FieldCipher(ring);

  const at = (column: string, rowId = 'sub_1', departmentId = 'dept-a') => ({
    departmentId,
    table: 'incident_subject',
    column,
    rowId,
  });

  it('shares one wrapped data key across values of one department, each with its own IV, and decrypts normally', () => {
    const session = cipher.session('dept-a');
    const a = session.encrypt('Jordan Example', at('name'));
    const b = session.encrypt('1991-04-12', at('date_of_birth'));
    expect(a).toMatch(/^enc:v2:s1:/);
    expect(a.split(':').slice(0, 4)).toEqual(b.split(':').slice(0, 4));
    expect(a.split(':')[4]).not.toBe(b.split(':')[4]);
    expect(cipher.decrypt(a, at('name'))).toBe('Jordan Example');
    expect(cipher.decrypt(b, at('date_of_birth'))).toBe('1991-04-12');
    expect(() => cipher.decrypt(b, at('name'))).toThrow(PhiCryptoError);
  });

  it('never spans departments: a binding of another department is refused', () => {
    const session = cipher.session('dept-a');
    expect(() => session.encrypt('x', at('name', 'sub_1', 'dept-b'))).toThrow(/session of department "dept-a"/);
    expect(() => cipher.session('')).toThrow(PhiCryptoError);
  });

  it('replaces its data key after maxValues values', () => {
    const session = cipher.session('dept-a', 2);
    const dek = (t: string) => t.split(':')[3];
    const [x, y, z] = [session.encrypt('a', at('n')), session.encrypt('b', at('n')), session.encrypt('c', at('n'))];
    expect(dek(x)).toBe(dek(y));
    expect(dek(z)).not.toBe(dek(x));
    expect(cipher.decrypt(z, at('n'))).toBe('c');
  });
});

describe('FieldCipher bound tokens (enc:v2)', () => {
  const cipher = new FieldCipher(ring('k1'));
  const place = { departmentId: 'dept-a', table: 'incident', column: 'narrative', rowId: 'inc_1' };

  it('round-trips at its place and refuses the same token at another row, column or department', () => {
    const token = cipher.encrypt('Called about Jane Doe', place);
    expect(token).toMatch(/^enc:v2:k1:/);
    expect(cipher.versionOf(token)).toBe(2);
    expect(cipher.decrypt(token, { ...place })).toBe('Called about Jane Doe');
    for (const moved of [
      { ...place, rowId: 'inc_2' },
      { ...place, column: 'location_address' },
      { ...place, table: 'incident_supplement' },
      { ...place, departmentId: 'dept-b' },
    ]) {
      expect(() => cipher.decrypt(token, moved)).toThrow(PhiCryptoError);
      try {
        cipher.decrypt(token, moved);
      } catch (err) {
        // The error names the place it was read at, never the value.
        expect((err as Error).message).toContain(`${moved.table}.${moved.column} row "${moved.rowId}"`);
        expect((err as Error).message).not.toContain('Jane');
      }
    }
  });

  it('refuses a bound token read without its binding, or as a legacy string', () => {
    const token = cipher.encrypt('x', place);
    expect(() => cipher.decrypt(token)).toThrow(/binding of its place/);
    expect(() => cipher.decrypt(token, 'incident.narrative')).toThrow(/binding of its place/);
    expect(() => cipher.encrypt('x', { ...place, rowId: '' })).toThrow(/non-empty rowId/);
  });

  it('binds the data key to the department: a token relabelled as v1 or moved does not unwrap', () => {
    const token = cipher.encrypt('x', place);
    expect(() => cipher.decrypt(token.replace('enc:v2:', 'enc:v1:'))).toThrow(/could not be unwrapped/);
    expect(() => cipher.decrypt(token, { ...place, departmentId: 'dept-b' })).toThrow(/another department/);
  });

  it('keeps reading legacy v1 tokens through binding.legacyAad', () => {
    const legacy = cipher.encrypt('old note', 'review.decision_reason');
    expect(legacy).toMatch(/^enc:v1:/);
    expect(cipher.decrypt(legacy, { ...place, legacyAad: 'review.decision_reason' })).toBe('old note');
    expect(() => cipher.decrypt(legacy, place)).toThrow(PhiCryptoError);
  });

  it('rewrap keeps a v2 token bound (data part untouched) and upgrades a v1 token to v2 at its place', () => {
    const old = cipher.encrypt('Jane', place);
    const rotated = new FieldCipher(ring('k2'));
    const rewrapped = rotated.rewrap(old, place);
    expect(rewrapped).toMatch(/^enc:v2:k2:/);
    expect(rewrapped.split(':').slice(4)).toEqual(old.split(':').slice(4));
    expect(rotated.decrypt(rewrapped, place)).toBe('Jane');
    expect(() => rotated.decrypt(rewrapped, { ...place, rowId: 'inc_9' })).toThrow(PhiCryptoError);
    expect(() => rotated.rewrap(old)).toThrow(/binding of its place/);
    expect(() => rotated.rewrap(old, { ...place, departmentId: 'dept-b' })).toThrow(/another department/);

    const legacy = cipher.encrypt('Jane', '');
    const upgraded = rotated.rewrap(legacy, { ...place, legacyAad: '' });
    expect(upgraded).toMatch(/^enc:v2:k2:/);
    expect(rotated.decrypt(upgraded, place)).toBe('Jane');
  });
});
