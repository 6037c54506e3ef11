import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ENGINE_VERSION } from '@sluice/engine';
import { SERVER_VERSION } from '../../version.js';

const Version = Type.Object({
  name: Type.Literal('sluice'),
  version: Type.String(),
  engine: Type.String(),
  node: Type.String(),
  database: Type.Union([Type.Literal('pg'), Type.Literal('pglite')]),
  kafka: Type.Object({
    mode: Type.Union([Type.Literal('embedded'), Type.Literal('external')]),
    bootstrap: Type.Array(Type.String()),
  }),
});

export const versionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/version', { schema: { tags: ['system'], response: { 200: Version } } }, async () => ({
    name: 'sluice' as const,
    version: SERVER_VERSION,
    engine: ENGINE_VERSION,
    node: process.version,
    database: app.database.kind,
    kafka: { mode: app.kafka.mode, bootstrap: [...app.kafka.bootstrap] },
  }));
};
