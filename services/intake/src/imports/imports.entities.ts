import { ImportJobEntity } from './import-job.entity';
import { ImportRowErrorEntity } from './import-row-error.entity';

/** TypeORM entities of this use-case area, registered in intake.definition.ts. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const importEntities: Function[] = [ImportJobEntity, ImportRowErrorEntity];
