import type { FastifyInstance } from 'fastify';
import type {
  CursorPage,
  DeadLetter,
  DeadLetterOrder,
  DeadLetterStreamSummary,
  ReplayedDeadLetter,
} from '@market/contracts';
import { fastifyRequireRole, notFound, type DeadLetterEntry, type DeadLetters } from '@market/kit';
import {
  deadLetterPageSchema,
  deadLetterQuery,
  deadLetterSchema,
  deadLetterStreamsSchema,
  entryParams,
  errors,
  replayedSchema,
  streamParams,
} from './schemas';

const signedIn = [{ accessCookie: [] }];
const stateChanging = [{ accessCookie: [], csrfHeader: [] }];

type StreamParams = { stream: string };
type EntryParams = { stream: string; id: string };

function toDeadLetterView(entry: DeadLetterEntry): DeadLetter {
  const { fields } = entry;
  return {
    id: entry.id,
    stream: entry.stream,
    originalId: entry.originalId,
    group: entry.group,
    reason: entry.reason,
    deliveries: entry.deliveries,
    deadAt: entry.deadAt,
    type: fields.type ?? null,
    orderId: fields.order_id ?? null,
    eventId: fields.event_id ?? null,
    fields,
  };
}

const gone = (params: EntryParams) => notFound(`dead letter ${params.id} of ${params.stream}`);

/**
 * The saga's dead letters for operators (admin only), under /admin/dead-letters: the same
 * list, show, replay and drop as `npm run dlq`. A replay is idempotent: the dead letter goes
 * back once however many operators press at once, and the consumers dedupe it by event id.
 */
export function deadLetterRoutes(deadLetters: DeadLetters) {
  const { streams } = deadLetters;
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', fastifyRequireRole('admin'));

    app.get(
      '/admin/dead-letters',
      {
        schema: {
          summary: 'The saga streams and how many dead letters each holds (admin)',
          security: signedIn,
          response: { 200: deadLetterStreamsSchema, ...errors(401, 403) },
        },
      },
      async (): Promise<{ data: DeadLetterStreamSummary[] }> => ({
        data: await Promise.all(streams.map(async (stream) => ({ stream, count: await deadLetters.count(stream) }))),
      }),
    );

    app.get<{ Params: StreamParams; Querystring: { order: DeadLetterOrder; pageSize: number; cursor?: string } }>(
      '/admin/dead-letters/:stream',
      {
        schema: {
          summary: 'Dead letters of one saga stream, newest (or oldest) first, a page at a time (admin)',
          security: signedIn,
          params: streamParams(streams),
          querystring: deadLetterQuery,
          response: { 200: deadLetterPageSchema, ...errors(400, 401, 403) },
        },
      },
      async (request): Promise<CursorPage<DeadLetter>> => {
        const { order, pageSize, cursor } = request.query;
        const page = await deadLetters.list(request.params.stream, { order, limit: pageSize, cursor });
        return {
          data: page.entries.map(toDeadLetterView),
          pagination: { pageSize, total: page.total, next: page.next },
        };
      },
    );

    app.get<{ Params: EntryParams }>(
      '/admin/dead-letters/:stream/:id',
      {
        schema: {
          summary: 'One dead letter (admin)',
          security: signedIn,
          params: entryParams(streams),
          response: { 200: deadLetterSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request): Promise<DeadLetter> => {
        const entry = await deadLetters.show(request.params.stream, request.params.id);
        if (!entry) throw gone(request.params);
        return toDeadLetterView(entry);
      },
    );

    app.post<{ Params: EntryParams }>(
      '/admin/dead-letters/:stream/:id/replay',
      {
        schema: {
          summary:
            'Put a dead letter back on its stream and remove it from the dead letters, in one atomic step (admin)',
          description:
            'Consumers dedupe by event id, so replaying an entry that was in fact applied changes nothing. 404 when it is gone (replayed or dropped already).',
          security: stateChanging,
          params: entryParams(streams),
          response: { 200: replayedSchema, ...errors(400, 401, 403, 404) },
        },
      },
      async (request): Promise<ReplayedDeadLetter> => {
        const { stream, id } = request.params;
        const replayedAs = await deadLetters.replay(stream, id);
        if (!replayedAs) throw gone(request.params);
        request.log.info({ stream, deadLetterId: id, replayedAs }, 'dead letter replayed');
        return { id, stream, replayedAs };
      },
    );

    app.delete<{ Params: EntryParams }>(
      '/admin/dead-letters/:stream/:id',
      {
        schema: {
          summary: 'Drop a dead letter for good (admin)',
          security: stateChanging,
          params: entryParams(streams),
          response: { 204: { type: 'null', description: 'Dropped' }, ...errors(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const { stream, id } = request.params;
        if (!(await deadLetters.drop(stream, id))) throw gone(request.params);
        request.log.info({ stream, deadLetterId: id }, 'dead letter dropped');
        return reply.status(204).send();
      },
    );
  };
}
