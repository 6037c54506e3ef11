import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { response as v1Response } from './v1/response.js';
import { request as v3Request } from './v3/request.js';
import { response as v3Response } from './v3/response.js';

export interface LeaveGroupRequest {
  groupId: string;
  memberId?: string;
  members?: { memberId: string; groupInstanceId: string | null }[];
}
export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}
export const leaveGroup: ApiSpec<LeaveGroupRequest, LeaveGroupResponse> = {
  key: 13,
  name: 'LeaveGroup',
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2], { request: v0Request, response: v1Response }),
    3: { request: v3Request, response: v3Response },
  },
};
