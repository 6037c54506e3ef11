import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from './env.js';
import { kafkaEnvName } from './kafka-env.js';

const jaas =
  'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="s3cret";';

describe('SLUICE_KAFKA_* (the server’s own Kafka clients)', () => {
  it('maps each variable onto its kafka.* option', () => {
    const env = readEnv({
      KAFKA_BROKERS: 'k1:9093,k2:9093',
      SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
      SLUICE_KAFKA_SASL_MECHANISM: 'PLAIN',
      SLUICE_KAFKA_SASL_JAAS_CONFIG: jaas,
      SLUICE_KAFKA_CLIENT_ID: 'ops-console',
      SLUICE_KAFKA_REQUEST_TIMEOUT_MS: '5000',
      // Not ours: Kafka's own scripts read KAFKA_OPTS and friends.
      KAFKA_OPTS: '-Xmx1g',
    });
    expect(env.kafkaClientOptions).toEqual({
      'kafka.security.protocol': 'SASL_PLAINTEXT',
      'kafka.sasl.mechanism': 'PLAIN',
      'kafka.sasl.jaas.config': jaas,
      'kafka.client.id': 'ops-console',
      'kafka.request.timeout.ms': '5000',
    });
    expect(readEnv({}).kafkaClientOptions).toEqual({});
    expect(kafkaEnvName('kafka.ssl.truststore.location')).toBe('SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION');
  });

  it.each([
    [
      { KAFKA_BROKERS: 'k:1', SLUICE_KAFKA_SECURITY_PROTOCOL: 'TLS' },
      /Invalid value TLS for configuration security.protocol/,
    ],
    [{ KAFKA_BROKERS: 'k:1', SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }, /needs kafka.sasl.jaas.config/],
    [
      {
        KAFKA_BROKERS: 'k:1',
        SLUICE_KAFKA_SECURITY_PROTOCOL: 'SSL',
        SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION: '/x.jks',
      },
      /truststore.type JKS is not supported/,
    ],
    [
      { SLUICE_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', SLUICE_KAFKA_SASL_JAAS_CONFIG: jaas },
      /needs KAFKA_BROKERS/,
    ],
    [{ SLUICE_KAFKA_BOOTSTRAP_SERVERS: 'k:1' }, /KAFKA_BROKERS/],
  ])('refuses %j at start', (source, message) => {
    expect(() => readEnv(source)).toThrow(EnvError);
    expect(() => readEnv(source)).toThrow(message);
  });
});
