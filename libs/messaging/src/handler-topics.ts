/**
 * The topics to subscribe to for a set of handled event types: each type's stream topic,
 * once. Deriving the subscription from the handlers keeps a service from subscribing to a
 * topic it cannot apply (or missing one it can). An unknown type throws: a handler for a
 * type the catalog does not define is a programming error.
 */
export function topicsForHandlers(eventTypes: Iterable<string>, topicFor: (eventType: string) => string): string[] {
  const topics = new Set<string>();
  for (const type of eventTypes) topics.add(topicFor(type));
  return [...topics].sort();
}
