import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Patch, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { SseConnections } from '../rate-limit/sse-connections.js';
import { PipelineEvents } from './pipeline-events.service.js';
import type { RunView } from './pipeline-run.js';
import { PipelinesService } from './pipelines.service.js';

/**
 * Pipeline runs for any valid key; a client sees only its own, and another's run answers 404 like a
 * missing one. Each queued step spends its `tasks:<type>` rate budget (PipelineBudget).
 */
@Controller('v1/pipelines')
export class PipelinesController {
  constructor(
    private readonly pipelines: PipelinesService,
    private readonly events: PipelineEvents,
    private readonly sse: SseConnections,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RunView> {
    const view = await this.pipelines.create(principal, body);
    void reply.header('location', view.links.self);
    return view;
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RunView> {
    return this.pipelines.get(principal, id);
  }

  @Post(':id/step')
  @HttpCode(HttpStatus.ACCEPTED)
  step(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RunView> {
    return this.pipelines.advance(principal, id, false);
  }

  @Post(':id/run')
  @HttpCode(HttpStatus.ACCEPTED)
  run(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RunView> {
    return this.pipelines.advance(principal, id, true);
  }

  @Post(':id/rerun')
  @HttpCode(HttpStatus.ACCEPTED)
  rerun(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<RunView> {
    return this.pipelines.rerun(principal, id, body);
  }

  @Patch(':id/steps/:stepId')
  patch(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Param('stepId') stepId: string,
    @Body() body: unknown,
  ): Promise<RunView> {
    return this.pipelines.patch(principal, id, stepId, body);
  }

  @Delete(':id')
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<RunView> {
    return this.pipelines.cancel(principal, id);
  }

  @Get(':id/events')
  async stream(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.pipelines.find(principal, id);
    // A stream holds a socket and a poll timer for as long as the client likes: a few per key.
    const release = this.sse.acquire(principal.id);
    reply.raw.once('close', release);
    this.events.stream(id, reply);
  }
}
