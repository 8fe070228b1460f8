import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put } from '@nestjs/common';
import { AdminOnly, CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { SchedulesService } from './schedules.service.js';

/** Repeating tasks; admin keys only. Each run is a task owned by the admin who wrote the schedule. */
@AdminOnly()
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Put(':name')
  put(@CurrentPrincipal() principal: Principal, @Param('name') name: string, @Body() body: unknown) {
    return this.schedules.put(principal, name, body);
  }

  @Get()
  list() {
    return this.schedules.list();
  }

  @Delete(':name')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(@Param('name') name: string): Promise<void> {
    await this.schedules.remove(name);
  }
}
