import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { response as v1Response } from './v1/response.js';

export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}
export interface DeleteTopicsResponse {
  throttleTimeMs: number;
  responses: { name: string; errorCode: number }[];
}
export const deleteTopics: ApiSpec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  key: 20,
  name: 'DeleteTopics',
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2, 3], { request: v0Request, response: v1Response }),
  },
};
