import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v1Request } from './v1/request.js';
import { response as v1Response } from './v1/response.js';
import { response as v2Response } from './v2/response.js';

export interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    assignments: { partitionIndex: number; brokerIds: number[] }[];
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly?: boolean;
}
export interface CreateTopicsResponse {
  throttleTimeMs: number;
  topics: { name: string; errorCode: number; errorMessage: string | null }[];
}
export const createTopics: ApiSpec<CreateTopicsRequest, CreateTopicsResponse> = {
  key: 19,
  name: 'CreateTopics',
  versions: {
    0: { request: v0Request, response: v0Response },
    1: { request: v1Request, response: v1Response },
    ...same([2, 3, 4], { request: v1Request, response: v2Response }),
  },
};
