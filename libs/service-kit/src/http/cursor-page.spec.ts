import { cursorPage } from './cursor-page';

describe('cursorPage', () => {
  const cursorOf = (r: { id: number }) => `after-${r.id}`;
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1 }));

  it('drops the look-ahead row and makes the cursor from the last row returned', () => {
    expect(cursorPage(rows(3), 2, cursorOf)).toEqual({ items: [{ id: 1 }, { id: 2 }], nextCursor: 'after-2' });
  });

  it('answers null (not undefined) when there is no next page', () => {
    expect(cursorPage(rows(2), 2, cursorOf).nextCursor).toBeNull();
    expect(cursorPage(rows(1), 2, cursorOf).nextCursor).toBeNull();
    expect(cursorPage([], 2, cursorOf)).toEqual({ items: [], nextCursor: null });
  });

  it('maps rows to items after the cursor is taken from the raw row', () => {
    const page = cursorPage(rows(3), 2, cursorOf, (r) => `item-${r.id}`);
    expect(page).toEqual({ items: ['item-1', 'item-2'], nextCursor: 'after-2' });
  });
});
