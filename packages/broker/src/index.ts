export { type BrokerOptions, type RunningBroker, startBroker } from './broker.js';
export { errorByCode, errorTable, type KafkaError } from './protocol/error-codes.js';
