import { Controller, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditInService } from '@cit/audit';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { importFormatSchema } from '@cit/contracts';
import { ProblemException, ProblemType, ZodValidationPipe } from '@cit/service-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setRequestDeadline } from '../../http/request-deadline';
import { CSV_COLUMNS } from '../import-row';
import { IMPORT_CONTENT_TYPES, runImportQuerySchema, type RunImportQuery } from './run-import.query';
import { RunImportService } from './run-import.service';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('v1/imports')
export class RunImportController {
  constructor(private readonly imports: RunImportService) {}

  @Post()
  @Roles('admin', 'supervisor')
  @ApiConsumes(...IMPORT_CONTENT_TYPES.ndjson, ...IMPORT_CONTENT_TYPES.csv)
  @ApiQuery({ name: 'format', enum: importFormatSchema.options })
  @ApiQuery({
    name: 'emitEvents',
    enum: ['true', 'false'],
    required: false,
    description: 'append cit.incident.reported.v1 per imported incident (default false)',
  })
  @ApiQuery({
    name: 'screen',
    enum: ['true', 'false'],
    required: false,
    description:
      'screen each imported incident into the behavioral-health review queue with the department rules, as single reports are (default false: a backfill of years of history would flood the queue)',
  })
  @ApiBody({
    description: `Streamed. NDJSON: one create-incident request per line (externalIds.cadCallNumber or rmsIncidentNumber required). CSV (RFC 4180, read by intake's own streaming parser): header row with columns ${CSV_COLUMNS.join(', ')}; lists are semicolon-separated. Caps, each configurable (INTAKE_IMPORT_*): fields per CSV record, characters per CSV field, bytes and rows per import, imports running at once per department; the request may take up to INTAKE_IMPORT_TIMEOUT_MS (default 2 h), the only route allowed longer than the default request timeout.`,
    schema: { type: 'string' },
  })
  @ApiResponse({
    status: 201,
    description: 'Import finished; counts and the job location. Rejected rows are listed by GET /v1/imports/{id}',
  })
  @ApiResponse({ status: 400, description: 'Bad query or CSV header (problem+json naming the field)' })
  @ApiResponse({
    status: 413,
    description:
      'A cap was exceeded (problem+json of type import-limit-exceeded naming the cap); the job is marked failed',
  })
  @ApiResponse({ status: 415, description: 'Content type does not match format' })
  @ApiResponse({
    status: 429,
    description:
      'The department already runs its maximum of concurrent imports (problem+json of type too-many-imports)',
  })
  // Each batch that stores incidents is recorded in its own transaction by the batch writer.
  @AuditInService()
  async run(
    @Query(new ZodValidationPipe(runImportQuerySchema)) query: RunImportQuery,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!IMPORT_CONTENT_TYPES[query.format].includes(contentType)) {
      throw new ProblemException(
        ProblemType.unsupportedMediaType,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'Unsupported media type',
        `format=${query.format} expects ${IMPORT_CONTENT_TYPES[query.format].join(' or ')}`,
      );
    }
    // Years of RMS history arrive as one streamed request: this route alone gets the long deadline.
    setRequestDeadline(req.raw, res.raw, this.imports.limits.requestTimeoutMs);
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    const importId = await this.imports.start(query, principal, declared);
    void res.header('location', `/v1/imports/${importId}`);
    // The body is read here as a stream (intakeService.streamedContentTypes: the chassis leaves it unread).
    const summary = await this.imports.run(importId, req.raw.iterator({ destroyOnReturn: false }), query, principal);
    void res.status(HttpStatus.CREATED);
    return summary;
  }
}
