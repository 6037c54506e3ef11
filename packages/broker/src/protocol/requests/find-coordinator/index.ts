import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v1Request } from './v1/request.js';
import { response as v1Response } from './v1/response.js';

export interface FindCoordinatorRequest {
  key: string;
  keyType?: number;
}
export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}
export const findCoordinator: ApiSpec<FindCoordinatorRequest, FindCoordinatorResponse> = {
  key: 10,
  name: 'FindCoordinator',
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2], { request: v1Request, response: v1Response }),
  },
};
