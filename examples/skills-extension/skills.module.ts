import { Module } from '@nestjs/common';
import { SkillsController } from './skills.controller.js';
import { SkillsRepository } from './skills.repository.js';
import { skillsRouteDocs } from './skills.route-docs.js';
import { SkillsService } from './skills.service.js';

/**
 * The cached read module: its table, its service (exported: the skill-match processor uses it), its
 * routes and their docs. The database, the cache and auth come from the service's global modules.
 */
@Module({
  controllers: [SkillsController],
  providers: [SkillsRepository, SkillsService, skillsRouteDocs],
  exports: [SkillsService],
})
export class SkillsModule {}
