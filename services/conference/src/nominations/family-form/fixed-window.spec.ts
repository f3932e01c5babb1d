import { fixedWindow, withinLimit } from './fixed-window';

describe('fixedWindow', () => {
  it('gives the window index and the seconds until it ends', () => {
    expect(fixedWindow(3_600_000 * 10 + 1_000, 3600)).toEqual({ index: 10, retryAfterSeconds: 3599 });
    expect(fixedWindow(3_600_000 * 10, 3600)).toEqual({ index: 10, retryAfterSeconds: 3600 });
  });

  it('never says retry after 0 seconds', () => {
    expect(fixedWindow(59_999, 60).retryAfterSeconds).toBe(1);
  });

  it('the limit counts the submission that reaches it', () => {
    expect(withinLimit(5, 5)).toBe(true);
    expect(withinLimit(6, 5)).toBe(false);
  });
});
