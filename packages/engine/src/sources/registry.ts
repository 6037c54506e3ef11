import { AnalysisError } from '../errors.js';
import type { SourceProvider } from './source.js';

const sources = new Map<string, SourceProvider>();

/**
 * Registers a streaming source format for `readStream.format(name)`; the Kafka source plugs in
 * here. Names are case-insensitive; a later registration replaces an earlier one.
 */
export function registerSource(name: string, provider: SourceProvider): void {
  sources.set(name.toLowerCase(), provider);
}

/** The provider of a format, or an AnalysisError naming the known ones (Spark's DATA_SOURCE_NOT_FOUND). */
export function lookupSource(name: string): SourceProvider {
  const p = sources.get(name.toLowerCase());
  if (!p) {
    throw new AnalysisError(
      'DATA_SOURCE_NOT_FOUND',
      `Failed to find the data source: ${name}. Known streaming sources: ${[...sources.keys()].sort().join(', ')}.`,
    );
  }
  return p;
}

/** Names of the registered streaming sources. */
export function registeredSources(): string[] {
  return [...sources.keys()].sort();
}
