import {
  KafkaJSBrokerNotFound,
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import { brokerUnavailable } from './outbox-relay';

describe('brokerUnavailable: which publish failures are charged to no row', () => {
  const protocol = (type: string, code: number) =>
    new KafkaJSProtocolError({ message: type, type, code } as unknown as Error);

  it.each([
    ['connection refused', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED')],
    [
      'retries exhausted on a connection error',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), {
        retryCount: 8,
        retryTime: 5000,
      }),
    ],
    ['request timeout', new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out')],
    ['not enough replicas', protocol('NOT_ENOUGH_REPLICAS', 19)],
    [
      'leadership moving, after retries',
      new KafkaJSNumberOfRetriesExceeded(protocol('NOT_LEADER_OR_FOLLOWER', 6), { retryCount: 8, retryTime: 5000 }),
    ],
    // The typings declare no constructor argument; kafkajs passes the message.
    [
      'no broker for the partition',
      new (KafkaJSBrokerNotFound as unknown as new (message: string) => Error)(
        'Broker 2 not found in the cached metadata',
      ),
    ],
  ])('%s: the cluster is away', (_name, err) => {
    expect(brokerUnavailable(err)).toBe(true);
  });

  it.each([
    ['unknown topic', protocol('UNKNOWN_TOPIC_OR_PARTITION', 3)],
    ['message too large', protocol('MESSAGE_TOO_LARGE', 10)],
    [
      'retries exhausted on an unknown topic',
      new KafkaJSNumberOfRetriesExceeded(protocol('UNKNOWN_TOPIC_OR_PARTITION', 3), { retryCount: 8, retryTime: 5000 }),
    ],
    ['record invalid', protocol('INVALID_RECORD', 87)],
    ['anything else', new Error('boom')],
  ])('%s: charged to the row', (_name, err) => {
    expect(brokerUnavailable(err)).toBe(false);
  });
});
