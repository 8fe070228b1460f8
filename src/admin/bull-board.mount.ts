import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiKeyService } from '../auth/api-key.service.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import type { AppConfig } from '../config/load-config.js';
import { errorBody } from '../http/error-body.js';
import { TaskQueues } from '../tasks/task-queues.service.js';
import { TaskRegistry } from '../tasks/task-registry.service.js';
import { adminFromBasicAuth } from './basic-auth-admin.js';
import { BULL_BOARD_PATH } from './bull-board.constants.js';

const BOARD_ERROR = Symbol('strata.bull-board-error');
type BoardRequest = FastifyRequest & { [BOARD_ERROR]?: Error & { statusCode?: number } };

/**
 * Bull Board answers every error with its own body and a 500, a client's bad JSON included. Its answers
 * are rewritten into the one error shape, with a 4xx for an error that says it is the client's.
 */
function answerErrorsInOurShape(scope: FastifyInstance): void {
  scope.addHook('onError', async (request, _reply, error) => {
    (request as BoardRequest)[BOARD_ERROR] = error;
  });
  scope.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    const cause = (request as BoardRequest)[BOARD_ERROR];
    // Bull Board parses a new job's JSON `data` itself: a SyntaxError there is the client's bad input.
    const given = cause instanceof SyntaxError ? 400 : cause?.statusCode;
    const status = given !== undefined && given >= 400 && given < 500 ? given : reply.statusCode;
    const text = typeof payload === 'string' ? payload : '';
    let message = cause?.message;
    try {
      message ??= (JSON.parse(text) as { message?: string }).message;
    } catch {
      // not JSON: the status says enough
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8');
    // A server-side failure's message may name internals; the log has it.
    if (status >= 500 || !message) message = STATUS_CODES[status] ?? 'error';
    return JSON.stringify(errorBody(status, message));
  });
}

/**
 * Bull Board on the API's Fastify instance, in a plugin scope of its own whose `onRequest` hook lets
 * only admin keys through (HTTP Basic: user = key id, password = key), so the check covers the page,
 * its JSON API and its static files alike, before Bull Board sees the request. Not a Nest controller:
 * Bull Board brings its own routes, views and assets. Queues are the task types' producer queues, on
 * the fail-fast connection, so a dead Redis makes the board's calls fail at once rather than hang.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  private readonly logger = new Logger(BullBoardMount.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly keys: ApiKeyService,
    private readonly queues: TaskQueues,
    private readonly registry: TaskRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || !this.config.ops.bullBoard) return;
    const readOnlyMode = this.config.ops.bullBoardReadOnly;
    const serverAdapter = new BullBoardFastifyAdapter();
    serverAdapter.setBasePath(BULL_BOARD_PATH);
    const types = [...this.registry.all().keys()].sort();
    createBullBoard({
      queues: types.flatMap((type) =>
        // On a Redis Cluster a type's pipeline steps are in its flow queue: listed as `flows:<type>`.
        this.queues
          .queuesOf(type)
          .map((queue, i) => new BullMQAdapter(queue, { readOnlyMode, prefix: i === 0 ? '' : 'flows:' })),
      ),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Strata queues' } },
    });
    const keys = this.keys;
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', async (request, reply) => {
          if (adminFromBasicAuth(request.headers.authorization, keys)) return;
          await reply
            .status(401)
            .header('www-authenticate', 'Basic realm="Strata queues", charset="UTF-8"')
            .header('content-type', 'application/json; charset=utf-8')
            .send(errorBody(401, 'an admin API key is required (user: key id, password: key)'));
        });
        answerErrorsInOurShape(scope);
        await scope.register(serverAdapter.registerPlugin());
      },
      { prefix: BULL_BOARD_PATH },
    );
    this.logger.log(`queue dashboard at ${BULL_BOARD_PATH} (${readOnlyMode ? 'read-only' : 'read-write'})`);
  }
}
