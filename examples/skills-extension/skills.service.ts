import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ResilientCache } from '../../src/cache/resilient-cache.service.js';
import type { Skill, SkillBody } from './skill.dto.js';
import { SkillsRepository } from './skills.repository.js';

/** The module's public service: what its controller and other modules (the skill-match task) use. */
@Injectable()
export class SkillsService implements OnModuleInit {
  constructor(
    private readonly repository: SkillsRepository,
    private readonly cache: ResilientCache,
  ) {}

  onModuleInit(): void {
    // The namespace's generation comes from the data, so every instance agrees on it after a restart.
    this.cache.registerNamespace('skills', () => this.repository.version());
  }

  list(): Promise<Skill[]> {
    return this.repository.list();
  }

  get(slug: string): Promise<Skill | undefined> {
    return this.repository.get(slug);
  }

  /** Writes, then moves the generation: no read after the write sees the old skill, on any instance. */
  async put(slug: string, body: SkillBody) {
    const result = await this.repository.put(slug, body);
    await this.cache.invalidate('skills', await this.repository.version());
    return result;
  }
}
