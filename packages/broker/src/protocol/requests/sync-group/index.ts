import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { response as v1Response } from './v1/response.js';
import { request as v3Request } from './v3/request.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}
export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}
export const syncGroup: ApiSpec<SyncGroupRequest, SyncGroupResponse> = {
  key: 14,
  name: 'SyncGroup',
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2], { request: v0Request, response: v1Response }),
    3: { request: v3Request, response: v1Response },
  },
};
