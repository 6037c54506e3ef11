import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../queries/schemas.js';
import {
  CountsQuery,
  CountsResult,
  DeadLetterDetail,
  DeadLetterIdParams,
  DeadLetterPage,
  ListQuery,
  PurgeBody,
  PurgeResult,
  ReplayBody,
  ReplayResult,
} from './schemas.js';

const tags = ['dead letters'];

/** Dead letters archived from the dead-letter topics: list, detail, counts, replay, purge (docs/server-api.md). */
export const deadLetterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = () => app.deadLetters.service;

  app.get(
    '/api/dead-letters',
    {
      schema: {
        tags,
        summary: 'Dead letters matching a filter, newest failure first',
        querystring: ListQuery,
        response: { 200: DeadLetterPage, 400: ErrorBody },
      },
    },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return service().list(filter, limit, cursor);
    },
  );

  app.get(
    '/api/dead-letters/counts',
    {
      schema: {
        tags,
        summary: 'Dead letters per stage, query or error class over time, with totals',
        querystring: CountsQuery,
        response: { 200: CountsResult, 400: ErrorBody },
      },
    },
    async (request) => {
      const { groupBy, bucketSeconds, ...filter } = request.query;
      return service().counts(filter, groupBy ?? 'stage', bucketSeconds);
    },
  );

  app.get(
    '/api/dead-letters/:id',
    {
      schema: {
        tags,
        summary: 'One dead letter: payload, headers, stack and replays',
        params: DeadLetterIdParams,
        response: { 200: DeadLetterDetail, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => service().get(request.params.id),
  );

  app.post(
    '/api/dead-letters/replay',
    {
      schema: {
        tags,
        summary: 'Send dead letters (by ids or filter) back to their source topic or to another one',
        body: ReplayBody,
        response: { 200: ReplayResult, 400: ErrorBody, 404: ErrorBody, 502: ErrorBody },
      },
    },
    async (request) => service().replay(request.body),
  );

  app.post(
    '/api/dead-letters/purge',
    {
      schema: {
        tags,
        summary: 'Delete dead letters by ids or filter',
        body: PurgeBody,
        response: { 200: PurgeResult, 400: ErrorBody },
      },
    },
    async (request) => service().purge(request.body),
  );
};
