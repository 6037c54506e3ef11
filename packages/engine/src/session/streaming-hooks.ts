/**
 * How the streaming layer plugs into Session and DataFrame without an import cycle: the streaming
 * module calls `registerStreamingSupport` when it loads (the engine's index imports it), and
 * `session.readStream`, `session.streams` and `df.writeStream` delegate here.
 */
export interface StreamingSupport {
  readStream(session: unknown): unknown;
  streams(session: unknown): unknown;
  writeStream(df: unknown): unknown;
}

let support: StreamingSupport | undefined;

export function registerStreamingSupport(s: StreamingSupport): void {
  support = s;
}

export function streamingSupport(): StreamingSupport {
  if (!support)
    throw new Error(
      'Streaming support is not loaded: import @sluice/engine (its index registers the streaming layer).',
    );
  return support;
}
