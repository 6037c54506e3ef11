import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { response as v1Response } from './v1/response.js';

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  groups: { groupId: string; protocolType: string }[];
}
export const listGroups: ApiSpec<unknown, ListGroupsResponse> = {
  key: 16,
  name: 'ListGroups',
  versions: {
    0: { request: v0Request, response: v0Response },
    ...same([1, 2], { request: v0Request, response: v1Response }),
  },
};
