// The lines that point unmodified AWS SDKs and CLIs at Strata; printed by `strata serve` and `strata config`.
import { credentialsProfile } from "../auth/credentials-file.js";

export function endpointExportLines(options: {
  region: string;
  apiUrl: string;
  s3Url: string;
  credentialsFile: string;
}): string[] {
  return [
    `export AWS_REGION=${options.region} AWS_ENDPOINT_URL_BEDROCK=${options.apiUrl} AWS_ENDPOINT_URL_BEDROCK_RUNTIME=${options.apiUrl} AWS_ENDPOINT_URL_S3=${options.s3Url}`,
    `export AWS_SHARED_CREDENTIALS_FILE=${options.credentialsFile} AWS_PROFILE=${credentialsProfile}`,
  ];
}
