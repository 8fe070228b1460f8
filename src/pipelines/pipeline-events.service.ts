import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import type { StepView } from './pipeline-run.js';
import { PipelineStore } from './pipeline-store.service.js';
import { isFinishedRun } from './pipeline-view.js';
import { PipelinesService } from './pipelines.service.js';
import { eventFrame, openEventStream } from '../http/event-stream.util.js';

const changeOf = (s: StepView) => JSON.stringify([s.state, s.attemptsMade, s.cached, s.progress, s.taskId]);

/**
 * `GET /v1/pipelines/:id/events`: the run is re-read every PIPELINE_EVENTS_POLL_MS and each step whose
 * state, attempts or progress changed is sent as a `step` event. Polling, not BullMQ's events: a run spans
 * several queues, and its cached steps and outputs live in our own keys; a read costs one round trip per
 * unfinished step, and SSE_MAX_PER_KEY bounds the streams. Ends with `completed`, `failed` or `cancelled`.
 */
@Injectable()
export class PipelineEvents implements OnModuleDestroy {
  private readonly open = new Set<() => void>();

  constructor(
    private readonly pipelines: PipelinesService,
    private readonly store: PipelineStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Takes over the reply: the caller has already checked that the run exists and is the client's. */
  stream(id: string, reply: FastifyReply): void {
    const raw = openEventStream(reply);
    let ended = false;
    let reading = false;
    const seen = new Map<string, string>();
    const send = (event: string, data: unknown) => {
      if (!ended) raw.write(eventFrame(event, data));
    };
    const finish = () => {
      if (ended) return;
      ended = true;
      clearInterval(poll);
      clearInterval(heartbeat);
      this.open.delete(finish);
      raw.end();
    };
    const read = async () => {
      if (reading || ended) return;
      reading = true;
      try {
        const found = await this.store.read(id);
        if (!found) return finish();
        const view = await this.pipelines.viewOf(found.doc);
        // The first read sends the whole run; later ones each step that changed since.
        if (seen.size === 0) send('run', view);
        for (const step of view.steps) {
          const change = changeOf(step);
          if (seen.has(step.id) && seen.get(step.id) !== change) send('step', step);
          seen.set(step.id, change);
        }
        if (isFinishedRun(view.state)) {
          send(view.state, view);
          finish();
        }
      } catch {
        // Redis is briefly away: the next poll looks again.
      } finally {
        reading = false;
      }
    };
    const poll = setInterval(() => void read(), this.config.pipelines.eventsPollMs);
    const heartbeat = setInterval(() => {
      if (!ended) raw.write(': heartbeat\n\n');
    }, this.config.queue.eventsHeartbeatMs);
    this.open.add(finish);
    raw.on('close', finish);
    void read();
  }

  /** Streams would hold the HTTP server open on shutdown: end them before it closes. */
  onModuleDestroy(): void {
    for (const finish of this.open) finish();
  }
}
