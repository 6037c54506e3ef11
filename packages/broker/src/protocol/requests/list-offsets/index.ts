import { type ApiSpec, same } from '../../api.js';
import { request as v1Request } from './v1/request.js';
import { response as v1Response } from './v1/response.js';
import { request as v2Request } from './v2/request.js';
import { response as v2Response } from './v2/response.js';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel?: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: number }[] }[];
}
export interface ListOffsetsResponse {
  throttleTimeMs: number;
  topics: {
    name: string;
    partitions: { partitionIndex: number; errorCode: number; timestamp: number; offset: number }[];
  }[];
}
export const listOffsets: ApiSpec<ListOffsetsRequest, ListOffsetsResponse> = {
  key: 2,
  name: 'ListOffsets',
  versions: {
    1: { request: v1Request, response: v1Response },
    ...same([2, 3], { request: v2Request, response: v2Response }),
  },
};
