import { Module } from '@nestjs/common';
import { SkillMatchProcessor } from './skill-match.processor.js';
import { SkillsModule } from './skills.module.js';

/** The task type's worker side; it reads the glossary through SkillsModule's public service. */
@Module({ imports: [SkillsModule], providers: [SkillMatchProcessor] })
export class SkillMatchProcessorModule {}
