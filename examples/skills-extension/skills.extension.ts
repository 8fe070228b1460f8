import { TaskTypeModule } from '../../src/tasks/task-type.module.js';
import { SkillMatchProcessorModule } from './skill-match-processor.module.js';
import { skillMatchTask } from './skill-match.task.js';
import { SkillsModule } from './skills.module.js';

/**
 * What STRATA_EXTENSIONS loads: a cached read module (GET /v1/skills) and a task type (skill-match).
 * Nothing in src/ names either; they register themselves (cache namespace, route docs, task type).
 */
export default [SkillsModule, TaskTypeModule.register(skillMatchTask, SkillMatchProcessorModule)];
