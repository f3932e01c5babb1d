import { Body, Controller, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@cit/auth';
import { ApiZodBody, IdParam, ZodValidationPipe } from '@cit/service-kit';
import { staffMemberExample, staffMemberRequestSchema, type StaffMemberRequest } from './save-staff.request';
import { SaveStaffService } from './save-staff.service';

@ApiTags('staff')
@ApiBearerAuth()
@Controller('v1/staff')
export class SaveStaffController {
  constructor(private readonly staff: SaveStaffService) {}

  /** Records a staff member (roles, unit or sector, CJIS clearance). */
  @Post()
  @Roles('admin')
  @ApiZodBody(staffMemberRequestSchema, staffMemberExample)
  @ApiResponse({ status: 201, description: 'The staff member with its id' })
  @ApiResponse({ status: 400, description: 'problem+json naming each invalid field (subject: already recorded)' })
  create(
    @Body(new ZodValidationPipe(staffMemberRequestSchema)) body: StaffMemberRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.staff.create(body, principal);
  }

  /** Replaces a staff member's record (e.g. a clearance granted, expired or withdrawn). */
  @Put(':id')
  @Roles('admin')
  @ApiZodBody(staffMemberRequestSchema, staffMemberExample)
  replace(
    @IdParam('id', 'stf') id: string,
    @Body(new ZodValidationPipe(staffMemberRequestSchema)) body: StaffMemberRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.staff.replace(id, body, principal);
  }
}
