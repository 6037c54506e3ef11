import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';

export interface AddPartitionsToTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  topics: { name: string; partitions: number[] }[];
}
export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: { name: string; results: { partitionIndex: number; errorCode: number }[] }[];
}
export const addPartitionsToTxn: ApiSpec<AddPartitionsToTxnRequest, AddPartitionsToTxnResponse> = {
  key: 24,
  name: 'AddPartitionsToTxn',
  versions: same([0, 1], { request: v0Request, response: v0Response }),
};
