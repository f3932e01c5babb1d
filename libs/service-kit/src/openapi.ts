import { ApiBody } from '@nestjs/swagger';
import { toJsonSchema } from '@cit/contracts';
import type { z } from 'zod';

/** Documents a request body in OpenAPI from the same zod schema that validates it. */
export function ApiZodBody(schema: z.ZodType, example?: unknown): MethodDecorator {
  const { $schema: _ignored, ...jsonSchema } = toJsonSchema(schema, 'draft-7');
  return ApiBody({ schema: { ...(jsonSchema as object), ...(example ? { example } : {}) } });
}
