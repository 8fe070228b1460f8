import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { BullBoardMount } from './bull-board.mount.js';
import { bullBoardRouteDocs } from './bull-board.route-docs.js';

/** The queue dashboard at /admin/queues, for the api and all roles (BULL_BOARD_ENABLED). */
@Module({
  imports: [AuthModule],
  providers: [BullBoardMount, bullBoardRouteDocs],
})
export class BullBoardModule {}
