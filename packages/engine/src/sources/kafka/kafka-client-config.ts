/**
 * Spark's `kafka.*` options mapped onto the kafkajs client: client id, timeouts, and security —
 * `kafka.security.protocol` (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL), `kafka.sasl.mechanism` (PLAIN,
 * SCRAM-SHA-256, SCRAM-SHA-512) with the credentials of `kafka.sasl.jaas.config`, and PEM trust and key
 * stores. What kafkajs cannot do (JKS/PKCS12 stores, GSSAPI) is refused with a clear error instead of
 * being ignored.
 */
import { readFileSync } from 'node:fs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { AnalysisError } from '../../errors.js';
import { bootstrapServers, kafkaParams } from './kafka-options.js';

function invalid(message: string): AnalysisError {
  return new AnalysisError('KAFKA_INVALID_OPTION', message);
}

/** `username="u" password="p"` out of a JAAS login module line (Plain or Scram). */
export function jaasCredentials(jaas: string): { username: string; password: string } {
  const value = (key: string) => new RegExp(`\\b${key}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas)?.[1];
  const username = value('username');
  const password = value('password');
  if (username === undefined || password === undefined) {
    throw invalid(
      'kafka.sasl.jaas.config must name a username and a password, e.g. org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
    );
  }
  return { username, password };
}

function pemFile(params: ReadonlyMap<string, string>, store: 'truststore' | 'keystore'): string | undefined {
  const location = params.get(`ssl.${store}.location`);
  if (location === undefined) return undefined;
  const type = (params.get(`ssl.${store}.type`) ?? 'JKS').toUpperCase();
  if (type !== 'PEM') {
    throw invalid(
      `kafka.ssl.${store}.type ${type} is not supported: set kafka.ssl.${store}.type=PEM and point kafka.ssl.${store}.location at a PEM file`,
    );
  }
  try {
    return readFileSync(location, 'utf8');
  } catch (e) {
    throw invalid(`kafka.ssl.${store}.location ${location} cannot be read: ${(e as Error).message}`);
  }
}

export function kafkaClientConfig(
  options: Readonly<Record<string, string>>,
  who: 'consumer' | 'producer',
): KafkaConfig {
  const params = kafkaParams(options);
  const num = (k: string): number | undefined => {
    const v = params.get(k);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw invalid(`Invalid value ${v} for configuration ${k}`);
    return n;
  };
  const requestTimeout = num('request.timeout.ms');
  const connectionTimeout = num('socket.connection.setup.timeout.ms');
  const protocol = (params.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw invalid(`Invalid value ${protocol} for configuration security.protocol`);
  }
  const config: KafkaConfig = {
    brokers: bootstrapServers(options, who),
    clientId: params.get('client.id') ?? `sluice-kafka-${who}`,
    ...(requestTimeout !== undefined ? { requestTimeout } : {}),
    ...(connectionTimeout !== undefined ? { connectionTimeout } : {}),
  };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') {
    const ca = pemFile(params, 'truststore');
    const keystore = pemFile(params, 'keystore');
    const verifyHost = (params.get('ssl.endpoint.identification.algorithm') ?? 'https') !== '';
    config.ssl = {
      ...(ca ? { ca: [ca] } : {}),
      ...(keystore ? { cert: keystore, key: keystore } : {}),
      ...(verifyHost ? {} : { checkServerIdentity: () => undefined }),
    };
  }
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') {
    const mechanism = (params.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
    const jaas = params.get('sasl.jaas.config');
    if (jaas === undefined) throw invalid(`kafka.security.protocol ${protocol} needs kafka.sasl.jaas.config`);
    const { username, password } = jaasCredentials(jaas);
    const byName: Record<string, SASLOptions['mechanism']> = {
      PLAIN: 'plain',
      'SCRAM-SHA-256': 'scram-sha-256',
      'SCRAM-SHA-512': 'scram-sha-512',
    };
    const m = byName[mechanism];
    if (!m) {
      throw invalid(
        `kafka.sasl.mechanism ${mechanism} is not supported (PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are)`,
      );
    }
    config.sasl = { mechanism: m, username, password } as SASLOptions;
  }
  return config;
}
