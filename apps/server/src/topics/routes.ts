import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { HttpError } from '../queries/http-error.js';
import { ErrorBody } from '../queries/schemas.js';
import { BadBytesError } from './bytes.js';
import {
  BrowseQuery,
  BrowseResult,
  CreateTopicBody,
  ProduceBody,
  ProduceResult,
  TopicDetail,
  TopicParams,
  TopicSummary,
} from './schemas.js';

const tags = ['topics'];
const errors = { 400: ErrorBody, 404: ErrorBody, 502: ErrorBody, 504: ErrorBody };

/** Topics of the configured Kafka cluster: list, describe, create, delete, browse and produce (docs/server-api.md). */
export const topicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { admin, browser } = app.topics;

  app.get(
    '/api/topics',
    {
      schema: {
        tags,
        summary: 'Topics with their partitions, offsets and message counts',
        response: { 200: Type.Array(TopicSummary), 502: ErrorBody },
      },
    },
    async () => admin.list(),
  );

  app.post(
    '/api/topics',
    {
      schema: {
        tags,
        summary: 'Create a topic',
        body: CreateTopicBody,
        response: { 201: TopicDetail, ...errors, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(await admin.create(request.body)),
  );

  app.get(
    '/api/topics/:topic',
    {
      schema: {
        tags,
        summary: "A topic's partitions, offsets and configs",
        params: TopicParams,
        response: { 200: TopicDetail, ...errors },
      },
    },
    async (request) => admin.describe(request.params.topic),
  );

  app.delete(
    '/api/topics/:topic',
    {
      schema: {
        tags,
        summary: 'Delete a topic',
        params: TopicParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await admin.delete(request.params.topic);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/topics/:topic/messages',
    {
      schema: {
        tags,
        summary: 'Records from an offset, from a timestamp, or the latest N (one partition or all)',
        params: TopicParams,
        querystring: BrowseQuery,
        response: { 200: BrowseResult, ...errors, 429: ErrorBody },
      },
    },
    async (request) => browser.browse(request.params.topic, request.query),
  );

  app.post(
    '/api/topics/:topic/messages',
    {
      schema: {
        tags,
        summary: 'Produce one record',
        params: TopicParams,
        body: ProduceBody,
        response: { 201: ProduceResult, ...errors, 413: ErrorBody },
      },
    },
    async (request, reply) => {
      try {
        return reply.code(201).send(await admin.produce(request.params.topic, request.body));
      } catch (error) {
        if (error instanceof BadBytesError) throw new HttpError(400, error.message, { field: error.field });
        throw error;
      }
    },
  );
};
