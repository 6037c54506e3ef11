import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v1Request } from './v1/request.js';
import { response as v2Response } from './v2/response.js';
import { request as v5Request } from './v5/request.js';
import { response as v5Response } from './v5/response.js';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs?: number;
  memberId: string;
  groupInstanceId?: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}
export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}
export const joinGroup: ApiSpec<JoinGroupRequest, JoinGroupResponse> = {
  key: 11,
  name: 'JoinGroup',
  versions: {
    0: { request: v0Request, response: v0Response },
    1: { request: v1Request, response: v0Response },
    ...same([2, 3, 4], { request: v1Request, response: v2Response }),
    5: { request: v5Request, response: v5Response },
  },
};
