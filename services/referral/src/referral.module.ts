import { Module } from '@nestjs/common';
import { ListAgenciesController } from './partner-directory/list-agencies/list-agencies.http.controller';
import { ListAgenciesService } from './partner-directory/list-agencies/list-agencies.service';

@Module({ controllers: [ListAgenciesController], providers: [ListAgenciesService] })
export class ReferralModule {}
