import { Injectable } from '@nestjs/common';
import { asc, eq, sql } from 'drizzle-orm';
import { DatabaseService } from '../../src/database/database.service.js';
import type { Skill, SkillBody } from './skill.dto.js';
import { CREATE_SKILLS_TABLE, SKILLS_SEED, skills } from './skills.table.js';

const toSkill = (row: typeof skills.$inferSelect): Skill => ({
  slug: row.slug,
  name: row.name,
  category: row.category,
  aliases: row.aliases,
  updatedAt: row.updatedAt.toISOString(),
});

/** The skills table through the service's one database client (PGlite or PostgreSQL alike). */
@Injectable()
export class SkillsRepository {
  private ready?: Promise<void>;

  constructor(private readonly database: DatabaseService) {}

  async list(): Promise<Skill[]> {
    await this.ensureTable();
    return (await this.database.db.select().from(skills).orderBy(asc(skills.slug))).map(toSkill);
  }

  async get(slug: string): Promise<Skill | undefined> {
    await this.ensureTable();
    const [row] = await this.database.db.select().from(skills).where(eq(skills.slug, slug));
    return row && toSkill(row);
  }

  async put(slug: string, body: SkillBody): Promise<{ skill: Skill; created: boolean }> {
    await this.ensureTable();
    const existed = (await this.get(slug)) !== undefined;
    const [row] = await this.database.db
      .insert(skills)
      .values({ slug, ...body })
      .onConflictDoUpdate({ target: skills.slug, set: { ...body, updatedAt: sql`now()` } })
      .returning();
    return { skill: toSkill(row), created: !existed };
  }

  /** Changes with every write: the cache generation of the `skills` namespace. */
  async version(): Promise<string> {
    await this.ensureTable();
    const [row] = await this.database.db
      .select({
        count: sql<number>`count(*)::int`,
        last: sql<string>`coalesce(max(${skills.updatedAt}), 'epoch')::text`,
      })
      .from(skills);
    return `${row.count}@${row.last}`;
  }

  /** Created (and seeded) once per process, on first use: the database is open by then. */
  private ensureTable(): Promise<void> {
    this.ready ??= (async () => {
      await this.database.db.execute(CREATE_SKILLS_TABLE);
      await this.database.db.insert(skills).values(SKILLS_SEED).onConflictDoNothing();
    })().catch((err: unknown) => {
      this.ready = undefined; // the next call tries again
      throw err;
    });
    return this.ready;
  }
}
