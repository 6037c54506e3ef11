// DescribeConfigs Request (Version: 0) => [resources]
//   resources => resource_type INT8 resource_name STRING [configuration_keys STRING] (nullable)
import { array, int8, nullableArray, string, struct } from '../../../codec.js';

export const resource = struct({
  resourceType: int8,
  resourceName: string,
  configurationKeys: nullableArray(string),
});
export const request = struct({ resources: array(resource) });
