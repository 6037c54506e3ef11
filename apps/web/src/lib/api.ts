import { getToken, requestToken } from './auth-token';

/** The server's error body (docs/server-api.md): the status, message and where it applies. */
export interface ApiErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  field?: string;
  errorClass?: string;
  line?: number;
  column?: number;
}

/** Error carrying the HTTP status and the server's JSON error fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: ApiErrorBody = {},
  ) {
    super(message);
  }
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls the server's API with the stored bearer token. A 401 asks the operator for the token
 * (one prompt for every call waiting on it) and retries with it.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  for (;;) {
    const token = getToken();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    if (response.status === 401) {
      await requestToken(token);
      continue;
    }
    if (response.status === 204) return undefined as T;
    const body = (await response.json().catch(() => ({}))) as ApiErrorBody;
    if (!response.ok) throw new ApiError(response.status, body.message ?? response.statusText, body);
    return body as T;
  }
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiRequest<T>(path, { signal });
}
