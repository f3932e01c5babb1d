import { connect } from 'node:net';

/** Client of the Kafka mock launcher's control channel (infra/local/kafka-mock/launcher.c). */
export interface KafkaControl {
  /** Sends one command and resolves with the "ok ..." answer; rejects on "error ..." or timeout. */
  send(command: string): Promise<string>;
  brokersDown(broker?: number | 'all'): Promise<void>;
  brokersUp(broker?: number | 'all'): Promise<void>;
  createTopic(name: string, partitions: number): Promise<void>;
  /** The next `count` requests of Kafka API `apiKey` fail with error `code`. */
  injectErrors(apiKey: number, code: number, count: number): Promise<void>;
  clearErrors(apiKey: number): Promise<void>;
}

/** Connects to the control channel at host:port (default KAFKA_MOCK_CONTROL); one TCP connection per command. */
export function kafkaControl(
  addr: string | undefined = process.env.KAFKA_MOCK_CONTROL,
  timeoutMs = 5000,
): KafkaControl {
  if (!addr) {
    throw new Error(
      'KAFKA_MOCK_CONTROL is not set: start the Kafka mock (infra/local) so .local/env has it, or export it',
    );
  }
  const sep = addr.lastIndexOf(':');
  const host = addr.slice(0, sep) || '127.0.0.1';
  const port = Number(addr.slice(sep + 1));
  if (!Number.isInteger(port) || port <= 0) throw new Error(`KAFKA_MOCK_CONTROL must be host:port, got "${addr}"`);

  // The launcher serves one client at a time and keeps it until it hangs up: close after each answer.
  const send = (command: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect({ host, port });
      let buffer = '';
      const timer = setTimeout(
        () => fail(new Error(`kafka mock control: no answer to "${command}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      function fail(err: Error) {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      }
      socket.setEncoding('utf8');
      socket.on('connect', () => socket.write(`${command.trim()}\n`));
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        const nl = buffer.indexOf('\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl).trim();
        clearTimeout(timer);
        socket.end();
        if (line.startsWith('ok')) resolve(line.slice(2).trim());
        else reject(new Error(`kafka mock control "${command}": ${line}`));
      });
      socket.on('error', (err) => fail(new Error(`kafka mock control at ${addr}: ${err.message}`)));
      socket.on('close', () => {
        if (!buffer.includes('\n'))
          fail(new Error(`kafka mock control closed the connection before answering "${command}"`));
      });
    });

  const ok = async (command: string) => {
    await send(command);
  };
  return {
    send,
    brokersDown: (broker = 'all') => ok(`down ${broker}`),
    brokersUp: (broker = 'all') => ok(`up ${broker}`),
    createTopic: (name, partitions) => {
      if (!/^[A-Za-z0-9._-]+$/.test(name)) return Promise.reject(new Error(`invalid topic name "${name}"`));
      return ok(`topic ${name} ${partitions}`);
    },
    injectErrors: (apiKey, code, count) => ok(`error ${apiKey} ${code} ${count}`),
    clearErrors: (apiKey) => ok(`clear-errors ${apiKey}`),
  };
}
