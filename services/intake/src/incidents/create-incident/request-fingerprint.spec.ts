import { createHash, randomBytes } from 'node:crypto';
import { BlindIndex } from '@cit/persistence';
import { canonicalRequest, fingerprintMatches, requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  const keys = new BlindIndex(randomBytes(32));
  const dept = keys.forDepartment('dept_a');

  it('ignores key order and undefined fields', () => {
    expect(requestFingerprint(dept, { a: 1, b: { c: 2, d: [1, 2] }, e: undefined })).toBe(
      requestFingerprint(dept, { b: { d: [1, 2], c: 2 }, a: 1 }),
    );
  });

  it('differs when a value or the array order differs', () => {
    expect(requestFingerprint(dept, { a: 1 })).not.toBe(requestFingerprint(dept, { a: 2 }));
    expect(requestFingerprint(dept, { a: [1, 2] })).not.toBe(requestFingerprint(dept, { a: [2, 1] }));
  });

  it('is keyed: not the plain SHA-256 of the body, and unrelated between departments and keys', () => {
    const body = { subjects: [{ name: 'Pat Doe', dateOfBirth: '1980-02-03' }] };
    const plain = createHash('sha256').update(canonicalRequest(body)).digest('hex');
    const fp = requestFingerprint(dept, body);
    expect(fp).toMatch(/^v1:[0-9a-f]{64}$/);
    expect(fp).not.toContain(plain);
    expect(requestFingerprint(keys.forDepartment('dept_b'), body)).not.toBe(fp);
    expect(requestFingerprint(new BlindIndex(randomBytes(32)).forDepartment('dept_a'), body)).not.toBe(fp);
  });

  it('checks fingerprints stored before the rotation and legacy ones, refuses a version no longer accepted', () => {
    const body = { a: 1 };
    const master = randomBytes(32);
    const v1 = new BlindIndex(master, { activeVersion: 1 }).forDepartment('dept_a');
    const rotating = new BlindIndex(master, { activeVersion: 2, previousVersion: 1 }).forDepartment('dept_a');
    const done = new BlindIndex(master, { activeVersion: 2, previousVersion: null }).forDepartment('dept_a');
    const legacy = createHash('sha256').update(canonicalRequest(body)).digest('hex');
    expect(fingerprintMatches(rotating, requestFingerprint(v1, body), body)).toBe(true);
    expect(fingerprintMatches(rotating, requestFingerprint(v1, body), { a: 2 })).toBe(false);
    expect(fingerprintMatches(done, requestFingerprint(v1, body), body)).toBe(false);
    expect(fingerprintMatches(done, legacy, body)).toBe(true);
    expect(fingerprintMatches(done, legacy, { a: 2 })).toBe(false);
    expect(fingerprintMatches(done, 'not a fingerprint', body)).toBe(false);
  });
});
