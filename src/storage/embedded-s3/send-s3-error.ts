import type { ServerResponse } from "node:http";
import type { S3RequestError } from "./s3-request-error.js";

export function sendS3Error(
  response: ServerResponse,
  error: S3RequestError,
  requestId: string,
  options: { method: string; bodyUnread: boolean },
): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const fields: [string, string][] = [
    ["Code", error.code],
    ["Message", error.message],
    ...Object.entries(error.detail),
    ["RequestId", requestId],
  ];
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join("")}</Error>`;
  response.statusCode = error.status;
  response.setHeader("content-type", "application/xml");
  response.setHeader("content-length", Buffer.byteLength(xml));
  // A refused upload's body is never read: closing the connection stops the client from sending it all.
  if (options.bodyUnread) response.setHeader("connection", "close");
  response.end(options.method === "HEAD" ? undefined : xml);
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
