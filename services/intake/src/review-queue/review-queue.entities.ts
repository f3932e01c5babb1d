import { ReviewItemEntity } from './review-item.entity';
import { ScreeningConfigEntity } from './screening-config.entity';

/** TypeORM entities of this use-case area, registered in intake.definition.ts. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const reviewQueueEntities: Function[] = [ReviewItemEntity, ScreeningConfigEntity];
