import { HttpError } from '../queries/http-error.js';

/** Kafka's error codes that are the caller's doing, with the status and payload field they map to. */
const CLIENT_ERRORS: Record<string, { status: number; field?: string }> = {
  TOPIC_ALREADY_EXISTS: { status: 409, field: '/name' },
  UNKNOWN_TOPIC_OR_PARTITION: { status: 404 },
  INVALID_TOPIC_EXCEPTION: { status: 400, field: '/name' },
  INVALID_PARTITIONS: { status: 400, field: '/partitions' },
  INVALID_REPLICATION_FACTOR: { status: 400, field: '/replicationFactor' },
  INVALID_REPLICA_ASSIGNMENT: { status: 400, field: '/replicationFactor' },
  INVALID_CONFIG: { status: 400, field: '/configs' },
  INVALID_REQUEST: { status: 400 },
  POLICY_VIOLATION: { status: 400 },
  MESSAGE_TOO_LARGE: { status: 413, field: '/value' },
  RECORD_LIST_TOO_LARGE: { status: 413, field: '/value' },
  INVALID_RECORD: { status: 400, field: '/value' },
  OFFSET_OUT_OF_RANGE: { status: 400, field: '/offset' },
  TOPIC_AUTHORIZATION_FAILED: { status: 403 },
  CLUSTER_AUTHORIZATION_FAILED: { status: 403 },
};

interface KafkaJsError extends Error {
  type?: string;
  errors?: KafkaJsError[];
  cause?: unknown;
}

function kafkaType(error: KafkaJsError): string | undefined {
  if (error.type) return error.type;
  // kafkajs wraps per-topic errors (KafkaJSAggregateError) and retried ones (KafkaJSNumberOfRetriesExceeded).
  for (const inner of error.errors ?? []) {
    const type = kafkaType(inner);
    if (type) return type;
  }
  if (error.cause instanceof Error) return kafkaType(error.cause as KafkaJsError);
  return undefined;
}

/**
 * Runs a Kafka call and turns what the cluster refused into the API's errors: the caller's mistakes
 * keep Kafka's error code as `errorClass` (400/404/409/413), an unreachable cluster is a 502.
 */
export async function mapKafkaErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const kafkaError = error as KafkaJsError;
    const type = kafkaType(kafkaError);
    const known = type ? CLIENT_ERRORS[type] : undefined;
    if (type && known) {
      const details: HttpError['details'] = { errorClass: type };
      if (known.field) details.field = known.field;
      throw new HttpError(known.status, kafkaError.message, details);
    }
    throw new HttpError(502, `Kafka: ${kafkaError.message}`, { errorClass: type ?? 'KAFKA_ERROR' });
  }
}
