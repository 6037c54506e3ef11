// Heartbeat Response (Version: 0) => error_code INT16
import { int16, struct } from '../../../codec.js';

export const response = struct({ errorCode: int16 });
