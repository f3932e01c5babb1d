import { Module } from '@nestjs/common';
import { ListAgenciesController } from './partner-directory/list-agencies/list-agencies.http.controller';

@Module({ controllers: [ListAgenciesController] })
export class ReferralModule {}
