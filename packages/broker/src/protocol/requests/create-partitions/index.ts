import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}
export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: { name: string; errorCode: number; errorMessage: string | null }[];
}
export const createPartitions: ApiSpec<CreatePartitionsRequest, CreatePartitionsResponse> = {
  key: 37,
  name: 'CreatePartitions',
  versions: same([0, 1], { request: v0Request, response: v0Response }),
};
