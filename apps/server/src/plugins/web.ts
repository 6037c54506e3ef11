import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

export interface WebPluginOptions {
  /** The built dashboard (apps/web/dist). */
  root: string;
}

/** Serves the dashboard at `/`; unknown non-API GETs get index.html so client-side routes survive a reload. */
export const webPlugin = fp<WebPluginOptions>(
  async (app, options) => {
    if (!existsSync(join(options.root, 'index.html'))) {
      app.log.warn(
        { root: options.root },
        'dashboard is not built: run `npm start` (or `pnpm --filter @sluice/web build`)',
      );
      return;
    }
    await app.register(fastifyStatic, { root: options.root, prefix: '/', wildcard: false });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/socket.io')) {
        return reply.type('text/html').sendFile('index.html');
      }
      return reply.code(404).send({ error: 'Not Found', message: `no route ${request.method} ${path}` });
    });
  },
  { name: 'web' },
);
