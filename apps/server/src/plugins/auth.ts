import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';

export interface AuthPluginOptions {
  apiToken: string | undefined;
}

/**
 * The path a request really addresses: percent-decoded (repeatedly, so `%2561` cannot hide an `a`),
 * backslashes as slashes, duplicate slashes merged and `.`/`..` segments resolved. Spellings like
 * `//api/x`, `/api/../api/x` or `/%61pi/x` all come out as `/api/x`.
 */
export function normalisedPath(url: string): string {
  let path = url.split(/[?#]/, 1)[0] ?? '';
  for (let i = 0; i < 5; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      break;
    }
    if (decoded === path) break;
    path = decoded;
  }
  const segments: string[] = [];
  for (const segment of path.replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  return lower === '/api' || lower.startsWith('/api/');
}

/**
 * `Authorization: Bearer <token>`, the scheme case-insensitive as HTTP says (RFC 9110 §11.1), the token
 * compared in constant time.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1]!);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Bearer-token auth on `/api/*` when a token is configured; health and the dashboard stay public. */
export const authPlugin = fp<AuthPluginOptions>(
  async (app, options) => {
    const token = options.apiToken;
    if (!token) return;
    app.addHook('onRequest', async (request, reply) => {
      // The matched route decides (whatever spelling reached it); unmatched URLs by their normalised path.
      const route = request.routeOptions.url;
      const protectedRequest = isApiPath(route ?? '') || isApiPath(normalisedPath(request.url));
      if (!protectedRequest) return;
      if (!bearerMatches(request.headers.authorization, token)) {
        return reply
          .code(401)
          .send({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token is required' });
      }
    });
  },
  { name: 'auth' },
);
