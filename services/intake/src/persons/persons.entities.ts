import { PersonMergeEntity } from './person-merge.entity';
import { PersonEntity } from './person.entity';

/** TypeORM entities of this use-case area, registered in intake.definition.ts. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const personEntities: Function[] = [PersonEntity, PersonMergeEntity];
