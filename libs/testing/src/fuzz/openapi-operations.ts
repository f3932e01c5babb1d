import type { JsonSchema, RefResolver } from './schema-arbitrary';

/** One documented parameter of an operation. */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

/** One operation of an OpenAPI document: what the fuzzer needs to build requests for it. */
export interface ApiOperation {
  /** "POST /v1/incidents/{id}/supplements" */
  key: string;
  method: string;
  path: string;
  parameters: OperationParameter[];
  /** Documented request body media types and their schemas (empty: the operation takes no body). */
  bodies: { contentType: string; schema: JsonSchema; required: boolean; example?: unknown }[];
  /** Whether the document requires a bearer token (every operation but the public ones). */
  secured: boolean;
}

/** The subset of an OpenAPI 3 document read here. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation | unknown>>;
  components?: { schemas?: Record<string, JsonSchema> };
  security?: unknown[];
}

interface RawOperation {
  parameters?: { name: string; in: OperationParameter['in']; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema; example?: unknown }> };
  security?: unknown[];
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** A resolver for `#/components/schemas/...` references of the document. */
export function refResolver(doc: OpenApiDocument): RefResolver {
  return (ref) => {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    return m ? doc.components?.schemas?.[decodeURIComponent(m[1]!)] : undefined;
  };
}

/** Every operation of the document, in document order. */
export function operationsOf(doc: OpenApiDocument): ApiOperation[] {
  const ops: ApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const raw = item[method] as RawOperation | undefined;
      if (!raw) continue;
      const security = raw.security ?? doc.security ?? [];
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.in === 'path' || p.required === true,
          schema: p.schema ?? {},
        })),
        bodies: Object.entries(raw.requestBody?.content ?? {}).map(([contentType, media]) => ({
          contentType,
          schema: media.schema ?? {},
          required: raw.requestBody?.required === true,
          example: media.example,
        })),
        secured: security.length > 0,
      });
    }
  }
  return ops;
}
