import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';

export interface EndTxnRequest {
  transactionalId: string;
  producerId: number;
  producerEpoch: number;
  committed: boolean;
}
export interface EndTxnResponse {
  throttleTimeMs: number;
  errorCode: number;
}
export const endTxn: ApiSpec<EndTxnRequest, EndTxnResponse> = {
  key: 26,
  name: 'EndTxn',
  versions: same([0, 1], { request: v0Request, response: v0Response }),
};
