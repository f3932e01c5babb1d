import { topicForEventType } from '@cit/contracts';
import { topicsForHandlers } from './handler-topics';

describe('topicsForHandlers', () => {
  it('subscribes to the stream topic of each handled type, once', () => {
    expect(
      topicsForHandlers(
        ['cit.incident.reported.v1', 'cit.incident.updated.v1', 'cit.case.closed.v1'],
        topicForEventType,
      ),
    ).toEqual(['cit.case.v1', 'cit.incident.v1']);
  });

  it('subscribes to nothing without handlers', () => {
    expect(topicsForHandlers([], topicForEventType)).toEqual([]);
  });

  it('refuses a handler for a type the catalog does not define', () => {
    expect(() => topicsForHandlers(['cit.incident.vanished.v1'], topicForEventType)).toThrow(
      /unknown event type cit\.incident\.vanished\.v1/,
    );
  });
});
