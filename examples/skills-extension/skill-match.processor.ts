import { Processor } from '@nestjs/bullmq';
import { type TaskContext, TaskProcessorHost } from '../../src/tasks/task-processor.host.js';
import type { TaskInput, TaskResult } from '../../src/tasks/task-type.js';
import { skillMatchTask } from './skill-match.task.js';
import { SkillsService } from './skills.service.js';

// Words as postings write skills: "c++", "node.js", "ci-cd"; a full stop ending a sentence is not part of one.
const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9+#]+(?:[.-][a-z0-9+#]+)*/g) ?? []);

@Processor(skillMatchTask.queueName)
export class SkillMatchProcessor extends TaskProcessorHost<typeof skillMatchTask> {
  readonly task = skillMatchTask;

  constructor(private readonly skills: SkillsService) {
    super();
  }

  protected async handle(
    input: TaskInput<typeof skillMatchTask>,
    context: TaskContext,
  ): Promise<TaskResult<typeof skillMatchTask>> {
    const glossary = await this.skills.list();
    const named = (skill: { slug: string; aliases: string[] }, found: Set<string>) =>
      [skill.slug, ...skill.aliases].some((name) => found.has(name));
    const inPosting = words(input.posting);
    const held = new Set(input.candidate.map((s) => s.toLowerCase()));
    const asked = glossary.filter((skill) => named(skill, inPosting));
    const matched = asked.filter((skill) => named(skill, held)).map((skill) => skill.slug);
    await context.progress(100);
    return {
      asked: asked.map((skill) => skill.slug),
      matched,
      missing: asked.map((skill) => skill.slug).filter((slug) => !matched.includes(slug)),
      score: asked.length === 0 ? 0 : matched.length / asked.length,
    };
  }
}
