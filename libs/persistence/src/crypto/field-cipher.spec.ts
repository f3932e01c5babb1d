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

  it('shares one wrapped data key across values, each with its own IV, and decrypts normally', () => {
    const session = cipher.session();
    const a = session.encrypt('Jordan Example');
    const b = session.encrypt('1991-04-12', 'subject.dob');
    expect(a.split(':').slice(0, 4)).toEqual(b.split(':').slice(0, 4));
    expect(a.split(':')[4]).not.toBe(b.split(':')[4]);
    expect(cipher.decrypt(a)).toBe('Jordan Example');
    expect(cipher.decrypt(b, 'subject.dob')).toBe('1991-04-12');
    expect(() => cipher.decrypt(b)).toThrow();
  });

  it('replaces its data key after maxValues values', () => {
    const session = cipher.session(2);
    const dek = (t: string) => t.split(':')[3];
    const [x, y, z] = [session.encrypt('a'), session.encrypt('b'), session.encrypt('c')];
    expect(dek(x)).toBe(dek(y));
    expect(dek(z)).not.toBe(dek(x));
    expect(cipher.decrypt(z)).toBe('c');
  });
});
