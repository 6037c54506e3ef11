import { type ApiSpec, same } from '../../api.js';
import type { Records } from '../../codec.js';
import { request as v3Request } from './v3/request.js';
import { response as v3Response } from './v3/response.js';
import { response as v5Response } from './v5/response.js';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topicData: { name: string; partitionData: { index: number; records: Records }[] }[];
}
export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: number;
  logAppendTimeMs: number;
  logStartOffset: number;
}
export interface ProduceResponse {
  responses: { name: string; partitionResponses: ProducePartitionResponse[] }[];
  throttleTimeMs: number;
}
export const produce: ApiSpec<ProduceRequest, ProduceResponse> = {
  key: 0,
  name: 'Produce',
  versions: {
    ...same([3, 4], { request: v3Request, response: v3Response }),
    ...same([5, 6, 7], { request: v3Request, response: v5Response }),
  },
};
