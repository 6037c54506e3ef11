// FindCoordinator Response (Version: 0) => error_code INT16 node_id INT32 host STRING port INT32
import { int16, int32, string, struct } from '../../../codec.js';

export const response = struct({ errorCode: int16, nodeId: int32, host: string, port: int32 });
