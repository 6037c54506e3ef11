// FindCoordinator Request (Version: 1..2) => key STRING key_type INT8 (0 group, 1 transaction)
import { int8, string, struct } from '../../../codec.js';

export const request = struct({ key: string, keyType: int8 });
