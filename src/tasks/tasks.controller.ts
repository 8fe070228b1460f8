import {
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { ARTIFACT_STORE } from '../artifacts/artifact-store.provider.js';
import { RateLimited } from '../rate-limit/rate-limited.decorator.js';
import { SseConnections } from '../rate-limit/sse-connections.js';
import { artifactKeyOf } from './task-artifact-key.util.js';
import { TaskEventsService } from './task-events.service.js';
import type { TaskView } from './task-view.js';
import { TasksService } from './tasks.service.js';

const links = (id: string) => ({ self: `/v1/tasks/${id}`, events: `/v1/tasks/${id}/events` });

/** Tasks for any valid key; a client sees only its own, and another's task answers 404 like a missing one. */
@Controller('v1/tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly events: TaskEventsService,
    private readonly sse: SseConnections,
    @Inject(ARTIFACT_STORE) private readonly artifacts: ArtifactStore,
  ) {}

  @Post(':type')
  @HttpCode(HttpStatus.ACCEPTED)
  @RateLimited('tasks:{type}')
  async create(
    @CurrentPrincipal() principal: Principal,
    @Param('type') type: string,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const view = await this.tasks.create(principal, type, body, idempotencyKey);
    void reply.header('location', links(view.id).self);
    return {
      id: view.id,
      type: view.type,
      state: view.state,
      createdAt: view.createdAt,
      links: links(view.id),
    };
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, string>) {
    return this.tasks.list(principal, query);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TaskView> {
    return this.tasks.get(principal, id);
  }

  /** 204: removed before it ran. 202: it was running, and its worker has been asked to stop. */
  @Delete(':id')
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const outcome = await this.tasks.cancel(principal, id);
    void reply.status(outcome === 'cancelled' ? HttpStatus.NO_CONTENT : HttpStatus.ACCEPTED);
  }

  @Post(':id/retry')
  @HttpCode(HttpStatus.ACCEPTED)
  retry(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<TaskView> {
    return this.tasks.retry(principal, id);
  }

  @Get(':id/events')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ) {
    const found = await this.tasks.find(principal, id);
    // A stream holds a socket and a Redis listener for as long as the client likes: a few per key.
    const release = this.sse.acquire(principal.id);
    reply.raw.once('close', release);
    try {
      await this.events.stream(found, reply);
    } catch (err) {
      release();
      throw err;
    }
  }

  @Get(':id/artifact')
  async artifact(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<StreamableFile> {
    const { task, view } = await this.tasks.find(principal, id);
    if (task.type !== 'pdf') throw new NotFoundException(`a ${task.type} task has no artifact`);
    if (view.state !== 'completed') throw new ConflictException(`the task is ${view.state}, not completed`);
    const stream = await this.artifacts.stream(artifactKeyOf(view.id, 'pdf')).catch(() => {
      throw new NotFoundException('the artifact is no longer kept');
    });
    return new StreamableFile(stream, {
      type: 'application/pdf',
      disposition: 'attachment; filename="task.pdf"',
    });
  }
}
