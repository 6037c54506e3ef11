/**
 * The Python environment that runs Apache Spark: a virtualenv outside the repository
 * (SLUICE_CACHE_DIR, default /var/tmp/sluice-cache) with `pyspark` pinned, created on first use.
 * Spark runs in local mode on the machine's Java 17.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const PYSPARK_VERSION = '4.0.1';

export function sparkPython(): string {
  const cache = process.env.SLUICE_CACHE_DIR ?? '/var/tmp/sluice-cache';
  const venv = join(cache, `oracle-venv-pyspark-${PYSPARK_VERSION}`);
  const python = join(venv, 'bin', 'python');
  const ready = () =>
    existsSync(python) &&
    spawnSync(python, ['-c', `import pyspark; assert pyspark.__version__ == '${PYSPARK_VERSION}'`]).status ===
      0;
  if (ready()) return python;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.status !== 0) throw new Error('Apache Spark needs Java 17 on the PATH (java -version failed)');
  console.error(`▶ installing pyspark ${PYSPARK_VERSION} into ${venv} (first run only)`);
  const steps: [string, string[]][] = [
    ['python3', ['-m', 'venv', venv]],
    [join(venv, 'bin', 'pip'), ['install', '-q', `pyspark==${PYSPARK_VERSION}`]],
  ];
  for (const [cmd, args] of steps) {
    const r = spawnSync(cmd, args, { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
  }
  if (!ready()) throw new Error(`pyspark ${PYSPARK_VERSION} did not install into ${venv}`);
  return python;
}
