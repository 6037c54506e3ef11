import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Registry;
  }
}

/** Prometheus metrics at `/metrics`: process metrics plus HTTP request counts by route and status. */
export const metricsPlugin = fp(
  async (app) => {
    const registry = new Registry();
    // Process metrics including event-loop delay (sluice_nodejs_eventloop_lag_*), sampled every 10 ms.
    collectDefaultMetrics({ register: registry, prefix: 'sluice_', eventLoopMonitoringPrecision: 10 });
    const requests = new Counter({
      name: 'sluice_http_requests_total',
      help: 'HTTP requests by method, route and status code',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    });
    app.addHook('onResponse', async (request, reply) => {
      requests.inc({
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
      });
    });
    app.decorate('metrics', registry);
    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      reply.type(registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics' },
);
