import { feedEtag, ifNoneMatchHits } from './feed-etag';

describe('feed ETag', () => {
  const tag = feedEtag('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n');

  it('is a quoted strong tag that changes with the body', () => {
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(feedEtag('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n')).toBe(tag);
    expect(feedEtag('BEGIN:VCALENDAR\r\nX:1\r\nEND:VCALENDAR\r\n')).not.toBe(tag);
  });

  it('matches If-None-Match by weak comparison, in a list, or *', () => {
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits(tag, tag)).toBe(true);
    expect(ifNoneMatchHits(`W/${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(`"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(['"other"', tag], tag)).toBe(true);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits('"other"', tag)).toBe(false);
    expect(ifNoneMatchHits(tag.slice(1, -1), tag)).toBe(false);
  });
});
