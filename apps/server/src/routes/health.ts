import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';

const Health = Type.Object({ status: Type.String() });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({ database: Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) }) }),
});

/** `/healthz`: the process is up. `/readyz`: it can do its job (the database answers). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], response: { 200: Health } } }, async () => ({
    status: 'ok',
  }));

  app.get(
    '/readyz',
    { schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      try {
        await app.database.ping();
        return { status: 'ready' as const, checks: { database: { ok: true } } };
      } catch (error) {
        return reply.code(503).send({
          status: 'unavailable' as const,
          checks: { database: { ok: false, error: (error as Error).message } },
        });
      }
    },
  );
};
