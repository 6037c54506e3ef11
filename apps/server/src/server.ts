import { buildApp } from './app.js';
import { EnvError, readEnv } from './env.js';

let env: ReturnType<typeof readEnv>;
try {
  env = readEnv();
} catch (error) {
  if (error instanceof EnvError) {
    console.error(`sluice: ${error.message}`);
    process.exit(2);
  }
  throw error;
}

const app = await buildApp({
  ...env,
  deadLetters: { topicPattern: env.deadLetterTopics, retentionMs: env.deadLetterRetentionMs },
});
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  // Queries stop at a batch boundary first (each gets up to 30 s before its worker is terminated).
  const force = setTimeout(() => process.exit(1), 40_000);
  force.unref();
  await app.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  await app.listen({ port: env.port, host: env.host });
} catch (error) {
  app.log.error(error);
  await app.close();
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : env.port;
const shownHost = env.host === '0.0.0.0' || env.host === '::' ? 'localhost' : env.host;
console.log(
  `\n  Sluice is running: open http://${shownHost}:${port}/  (API docs: http://${shownHost}:${port}/docs)\n`,
);
