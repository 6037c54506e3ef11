// FindCoordinator Request (Version: 0) => key STRING
import { string, struct } from '../../../codec.js';

export const request = struct({ key: string });
