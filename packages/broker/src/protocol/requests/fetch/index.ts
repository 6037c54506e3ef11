import { type ApiSpec, same } from '../../api.js';
import type { Records } from '../../codec.js';
import { request as v4Request } from './v4/request.js';
import { response as v4Response } from './v4/response.js';
import { request as v5Request } from './v5/request.js';
import { response as v5Response } from './v5/response.js';
import { request as v7Request } from './v7/request.js';
import { response as v7Response } from './v7/response.js';
import { request as v9Request } from './v9/request.js';
import { request as v11Request } from './v11/request.js';
import { response as v11Response } from './v11/response.js';

export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: {
    topic: string;
    partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number }[];
  }[];
}
export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  abortedTransactions: { producerId: number; firstOffset: number }[] | null;
  preferredReadReplica: number;
  records: Records;
}
export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: { topic: string; partitions: FetchPartitionResponse[] }[];
}
export const fetch: ApiSpec<FetchRequest, FetchResponse> = {
  key: 1,
  name: 'Fetch',
  versions: {
    4: { request: v4Request, response: v4Response },
    ...same([5, 6], { request: v5Request, response: v5Response }),
    ...same([7, 8], { request: v7Request, response: v7Response }),
    ...same([9, 10], { request: v9Request, response: v7Response }),
    11: { request: v11Request, response: v11Response },
  },
};
