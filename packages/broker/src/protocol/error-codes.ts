/** Kafka error codes this broker returns, in one table (code, type, retriable, message). */
export interface KafkaError {
  readonly code: number;
  readonly type: string;
  readonly retriable: boolean;
  readonly message: string;
}

const table = [
  { code: -1, type: 'UNKNOWN_SERVER_ERROR', retriable: false, message: 'Unexpected server error' },
  { code: 0, type: 'NONE', retriable: false, message: '' },
  { code: 1, type: 'OFFSET_OUT_OF_RANGE', retriable: false, message: 'Offset out of range' },
  { code: 2, type: 'CORRUPT_MESSAGE', retriable: true, message: 'Message failed its CRC or is malformed' },
  { code: 3, type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true, message: 'Unknown topic or partition' },
  { code: 4, type: 'INVALID_FETCH_SIZE', retriable: false, message: 'Invalid fetch size' },
  { code: 7, type: 'REQUEST_TIMED_OUT', retriable: true, message: 'Request timed out' },
  { code: 10, type: 'MESSAGE_TOO_LARGE', retriable: false, message: 'Message too large' },
  { code: 15, type: 'COORDINATOR_NOT_AVAILABLE', retriable: true, message: 'Coordinator not available' },
  { code: 16, type: 'NOT_COORDINATOR', retriable: true, message: 'Not coordinator' },
  { code: 17, type: 'INVALID_TOPIC_EXCEPTION', retriable: false, message: 'Invalid topic name' },
  { code: 22, type: 'ILLEGAL_GENERATION', retriable: false, message: 'Illegal generation' },
  { code: 23, type: 'INCONSISTENT_GROUP_PROTOCOL', retriable: false, message: 'Inconsistent group protocol' },
  { code: 24, type: 'INVALID_GROUP_ID', retriable: false, message: 'Invalid group id' },
  { code: 25, type: 'UNKNOWN_MEMBER_ID', retriable: false, message: 'Unknown member id' },
  { code: 26, type: 'INVALID_SESSION_TIMEOUT', retriable: false, message: 'Invalid session timeout' },
  { code: 27, type: 'REBALANCE_IN_PROGRESS', retriable: false, message: 'Rebalance in progress' },
  { code: 35, type: 'UNSUPPORTED_VERSION', retriable: false, message: 'Unsupported API version' },
  { code: 36, type: 'TOPIC_ALREADY_EXISTS', retriable: false, message: 'Topic already exists' },
  { code: 37, type: 'INVALID_PARTITIONS', retriable: false, message: 'Invalid number of partitions' },
  { code: 38, type: 'INVALID_REPLICATION_FACTOR', retriable: false, message: 'Invalid replication factor' },
  { code: 40, type: 'INVALID_CONFIG', retriable: false, message: 'Invalid configuration' },
  { code: 42, type: 'INVALID_REQUEST', retriable: false, message: 'Invalid request' },
  {
    code: 45,
    type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    retriable: false,
    message: 'Out of order sequence number',
  },
  { code: 46, type: 'DUPLICATE_SEQUENCE_NUMBER', retriable: false, message: 'Duplicate sequence number' },
  { code: 47, type: 'INVALID_PRODUCER_EPOCH', retriable: false, message: 'Producer fenced by a newer epoch' },
  { code: 48, type: 'INVALID_TXN_STATE', retriable: false, message: 'Invalid transaction state' },
  { code: 49, type: 'INVALID_PRODUCER_ID_MAPPING', retriable: false, message: 'Invalid producer id mapping' },
  { code: 51, type: 'CONCURRENT_TRANSACTIONS', retriable: true, message: 'Concurrent transactions' },
  { code: 53, type: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED', retriable: false, message: 'Not authorized' },
  { code: 59, type: 'UNKNOWN_PRODUCER_ID', retriable: false, message: 'Unknown producer id' },
  { code: 68, type: 'NON_EMPTY_GROUP', retriable: false, message: 'The group is not empty' },
  { code: 69, type: 'GROUP_ID_NOT_FOUND', retriable: false, message: 'The group id does not exist' },
  { code: 79, type: 'MEMBER_ID_REQUIRED', retriable: false, message: 'A member id is required' },
  { code: 87, type: 'INVALID_RECORD', retriable: false, message: 'Invalid record' },
] as const satisfies readonly KafkaError[];

type ErrorType = (typeof table)[number]['type'];

export const ErrorCode = Object.fromEntries(table.map((e) => [e.type, e.code])) as {
  readonly [K in ErrorType]: Extract<(typeof table)[number], { type: K }>['code'];
};

const byCode = new Map<number, KafkaError>(table.map((e) => [e.code, e]));
export function errorByCode(code: number): KafkaError | undefined {
  return byCode.get(code);
}
export const errorTable: readonly KafkaError[] = table;
