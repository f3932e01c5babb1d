import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor';

describe('cursor', () => {
  const shape = z.tuple([z.iso.datetime(), z.string()]);

  it('round-trips a sort key', () => {
    const c = encodeCursor(['2026-11-27T07:14:00.000Z', 'inc_1']);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, shape)).toEqual(['2026-11-27T07:14:00.000Z', 'inc_1']);
  });

  it('rejects tampered or foreign cursors', () => {
    expect(decodeCursor('not-base64-json', shape)).toBeUndefined();
    expect(decodeCursor(encodeCursor([1, 2]), shape)).toBeUndefined();
  });
});
