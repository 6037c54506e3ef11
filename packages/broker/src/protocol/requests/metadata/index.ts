import { type ApiSpec, same } from '../../api.js';
import { request as v0Request } from './v0/request.js';
import { response as v0Response } from './v0/response.js';
import { request as v1Request } from './v1/request.js';
import { response as v1Response } from './v1/response.js';
import { response as v2Response } from './v2/response.js';
import { response as v3Response } from './v3/response.js';
import { request as v4Request } from './v4/request.js';
import { response as v5Response } from './v5/response.js';

export interface MetadataRequest {
  topics: { name: string }[] | null;
  allowAutoTopicCreation?: boolean;
}
export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  offlineReplicas: number[];
}
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: { errorCode: number; name: string; isInternal: boolean; partitions: MetadataPartition[] }[];
}
export const metadata: ApiSpec<MetadataRequest, MetadataResponse> = {
  key: 3,
  name: 'Metadata',
  versions: {
    0: { request: v0Request, response: v0Response },
    1: { request: v1Request, response: v1Response },
    2: { request: v1Request, response: v2Response },
    3: { request: v1Request, response: v3Response },
    4: { request: v4Request, response: v3Response },
    ...same([5, 6], { request: v4Request, response: v5Response }),
  },
};
