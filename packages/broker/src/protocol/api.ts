import type { Codec } from './codec.js';

export interface VersionCodecs<Req = any, Res = any> {
  readonly request: Codec<Req>;
  readonly response: Codec<Res>;
}
/** One API key: its name and the codecs of every version the broker implements. */
/**
 * `Req`/`Res` name the superset request/response shapes a handler works with; each version's
 * codecs read and write the subset of fields that version has.
 */
// biome-ignore lint/correctness/noUnusedVariables: type parameters document the handler shapes
export interface ApiSpec<Req = any, Res = any> {
  readonly key: number;
  readonly name: string;
  readonly versions: Readonly<Record<number, VersionCodecs>>;
  /** First flexible version (request header v2, response header v1), if any is implemented. */
  readonly flexibleFrom?: number;
}
export function versionRange(spec: ApiSpec): { min: number; max: number } {
  const vs = Object.keys(spec.versions).map(Number);
  return { min: Math.min(...vs), max: Math.max(...vs) };
}
/** Maps a list of versions onto the same codecs (versions whose schema did not change). */
export function same<T>(versions: readonly number[], codecs: T): Record<number, T> {
  return Object.fromEntries(versions.map((v) => [v, codecs]));
}
