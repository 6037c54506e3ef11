import { AnalysisError } from '../errors.js';
import type { SinkProvider } from './sink.js';

const sinks = new Map<string, SinkProvider>();

/** Registers a sink format for `writeStream.format(name)`; the Kafka sink plugs in here. */
export function registerSink(name: string, provider: SinkProvider): void {
  sinks.set(name.toLowerCase(), provider);
}

/** The provider of a sink format, or an AnalysisError naming the known ones. */
export function lookupSink(name: string): SinkProvider {
  const p = sinks.get(name.toLowerCase());
  if (!p) {
    throw new AnalysisError(
      'DATA_SOURCE_NOT_FOUND',
      `Failed to find the data source: ${name}. Known streaming sinks: ${[...sinks.keys()].sort().join(', ')}.`,
    );
  }
  return p;
}

export function registeredSinks(): string[] {
  return [...sinks.keys()].sort();
}
