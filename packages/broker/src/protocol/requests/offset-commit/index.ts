import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v1Request } from './v1/request.js';
import { request as v2Request } from './v2/request.js';
import { response as v3Response } from './v3/response.js';
import { request as v5Request } from './v5/request.js';
import { request as v6Request } from './v6/request.js';
import { request as v7Request } from './v7/request.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId?: number;
  memberId?: string;
  groupInstanceId?: string | null;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      committedOffset: number;
      committedLeaderEpoch?: number;
      committedMetadata: string | null;
    }[];
  }[];
}
export interface OffsetCommitResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}
export const offsetCommit: ApiSpec<OffsetCommitRequest, OffsetCommitResponse> = {
  key: 8,
  name: 'OffsetCommit',
  versions: {
    0: { request: v0Request, response: v0Response },
    1: { request: v1Request, response: v0Response },
    2: { request: v2Request, response: v0Response },
    ...same([3, 4], { request: v2Request, response: v3Response }),
    5: { request: v5Request, response: v3Response },
    6: { request: v6Request, response: v3Response },
    7: { request: v7Request, response: v3Response },
  },
};
