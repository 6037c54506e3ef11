// ApiVersions Request (Version: 3, flexible) => client_software_name client_software_version TAG_BUFFER
import { compactString, flexStruct } from '../../../codec.js';

export const request = flexStruct({
  clientSoftwareName: compactString,
  clientSoftwareVersion: compactString,
});
