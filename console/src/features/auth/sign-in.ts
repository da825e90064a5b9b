// Signing in: derive SigV4 keys from the secret, prove them on GetServiceInfo (a wrong secret or an unknown key
// id fails there), then keep the keys for the server's region. The secret goes out of scope here.
import { callJson } from "../../lib/api-client.js";
import { deriveSession, startSession } from "../../lib/session.js";

interface ServiceInfo {
  region: string;
  version: string;
}

export async function signIn(accessKeyId: string, secretAccessKey: string): Promise<void> {
  // Any region proves the secret (the region is part of what is signed); the server's own is then used.
  const provisional = await deriveSession(accessKeyId, secretAccessKey, "us-east-1");
  const info = await callJson<ServiceInfo>({ method: "GET", path: "/strata/info" }, provisional);
  startSession(
    info.region === provisional.region
      ? provisional
      : await deriveSession(accessKeyId, secretAccessKey, info.region),
  );
}
