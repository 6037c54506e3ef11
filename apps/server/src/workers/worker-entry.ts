import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

interface TsxManifest {
  exports: { './esm/api': { import: { default: string } } };
}

/**
 * How to start a worker thread whose entry is `workerUrl` (a module next to the caller).
 *
 * Under vitest/tsx the sources are TypeScript: the worker registers the tsx loader (resolved from this
 * package, not the process's cwd) before importing its entry, and runs with the export condition that
 * maps workspace packages to src/. Node 20 does not apply `--import` loaders to worker threads. The
 * built server runs the compiled `.js` entry directly.
 */
export function workerEntry(workerUrl: URL): { entry: URL; execArgv: string[] } {
  if (!workerUrl.pathname.endsWith('.ts')) return { entry: workerUrl, execArgv: [] };
  // The ESM build of tsx's API, as its package.json maps `tsx/esm/api` for `import`.
  const tsxManifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const exportsMap = (JSON.parse(readFileSync(tsxManifest, 'utf8')) as TsxManifest).exports['./esm/api'];
  const tsxApi = new URL(exportsMap.import.default, pathToFileURL(tsxManifest)).href;
  const bootstrap = [
    `const { register } = await import(${JSON.stringify(tsxApi)});`,
    'register();',
    `await import(${JSON.stringify(workerUrl.href)});`,
  ].join('\n');
  return {
    entry: new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`),
    execArgv: ['--conditions=sluice-source'],
  };
}

/** The entry module `name` next to `base` (`import.meta.url`): `.ts` when running from source, else `.js`. */
export function siblingModule(base: string, name: string): URL {
  const fromSource = base.endsWith('.ts');
  return new URL(`./${name}${fromSource ? '.ts' : '.js'}`, base);
}
