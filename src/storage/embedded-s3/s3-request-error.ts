/** A refusal with S3's error code and HTTP status, written as S3's XML error document. */
export class S3RequestError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly detail: Record<string, string> = {},
  ) {
    super(message);
    this.name = "S3RequestError";
  }
}
