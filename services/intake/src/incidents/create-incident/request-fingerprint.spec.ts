import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('ignores key order and undefined fields', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: [1, 2] }, e: undefined })).toBe(
      requestFingerprint({ b: { d: [1, 2], c: 2 }, a: 1 }),
    );
  });

  it('differs when a value or the array order differs', () => {
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
  });
});
