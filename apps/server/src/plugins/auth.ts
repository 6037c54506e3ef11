import fp from 'fastify-plugin';

export interface AuthPluginOptions {
  apiToken: string | undefined;
}

/** Bearer-token auth on `/api/*` when a token is configured; health and the dashboard stay public. */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, options) => {
    const token = options.apiToken;
    if (!token) return;
    app.addHook('onRequest', async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      if (request.headers.authorization !== `Bearer ${token}`) {
        return reply.code(401).send({ error: 'Unauthorized', message: 'a valid bearer token is required' });
      }
    });
  },
  { name: 'auth' },
);
