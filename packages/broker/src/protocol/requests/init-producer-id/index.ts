import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';

export interface InitProducerIdRequest {
  transactionalId: string | null;
  transactionTimeoutMs: number;
}
export interface InitProducerIdResponse {
  throttleTimeMs: number;
  errorCode: number;
  producerId: number;
  producerEpoch: number;
}
export const initProducerId: ApiSpec<InitProducerIdRequest, InitProducerIdResponse> = {
  key: 22,
  name: 'InitProducerId',
  versions: same([0, 1], { request: v0Request, response: v0Response }),
};
