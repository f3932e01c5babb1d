import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { currentContext } from '@cit/observability';
import { toProblem } from './problem-details';

/**
 * JSON body parsing with a size limit, and its failures answered here as problem+json.
 * Nest would turn a parse error into a 400 quoting the parser's message, and V8's message
 * can quote the body (PHI); answering before Nest sees the error keeps it out.
 */
export function jsonBodyParser(
  limit: string,
): [RequestHandler, (err: unknown, req: Request, res: Response, next: NextFunction) => void] {
  const parser = json({ limit, strict: true });
  const onError = (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    const type = (err as { type?: unknown } | null)?.type;
    const fromParser = typeof type === 'string' && (type.startsWith('entity.') || type.endsWith('.unsupported'));
    if (!fromParser) return next(err);
    const problem = {
      ...toProblem(err),
      instance: req.originalUrl.split('?')[0],
      correlationId: currentContext()?.correlationId,
    };
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
  return [parser, onError];
}
