import type { Duplex } from 'node:stream';
import { ProblemType, type ProblemDetails } from './problem-details';

/** The problem for a request Node's HTTP parser refused (no route, no handler ever ran). */
export function clientErrorProblem(code: string | undefined): ProblemDetails {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { type: ProblemType.tooLarge, title: 'Request header fields too large', status: 431 };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { type: ProblemType.http, title: 'Request timeout', status: 408 };
  return {
    type: ProblemType.validation,
    title: 'Malformed request',
    status: 400,
    detail: 'The request is not valid HTTP/1.1, for example a header holds a control character such as NUL.',
    errors: [{ field: '(headers)', detail: 'not a valid HTTP request' }],
  };
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Requests the HTTP parser refuses (NUL or other control characters in a header, a broken
 * request line) get problem+json too, instead of Node's bare 400; the parser's reason is
 * not sent, since it can quote the offending bytes. Fastify's clientErrorHandler.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's own handler: nothing is written on a dead socket or after a response began on it.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const problem = clientErrorProblem(err.code);
  const body = JSON.stringify(problem);
  socket.end(
    `HTTP/1.1 ${problem.status} ${REASON[problem.status] ?? 'Bad Request'}\r\n` +
      `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
