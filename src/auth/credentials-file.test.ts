import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { CredentialsFileError, readCredentialsFile, writeCredentialsFile } from "./credentials-file.js";

it("writes profile strata with mode 0600 and reads it back", () => {
  const path = join(mkdtempSync(join(tmpdir(), "strata-credentials-")), "credentials");
  writeCredentialsFile(path, { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret/+=", apiKey: "ABSKabc" });
  expect(statSync(path).mode & 0o777).toBe(0o600);
  expect(readCredentialsFile(path)).toEqual({
    accessKeyId: "AKIAEXAMPLE",
    secretAccessKey: "secret/+=",
    apiKey: "ABSKabc",
  });
});

it("reads only profile strata of a shared credentials file, and names what is missing", () => {
  const path = join(mkdtempSync(join(tmpdir(), "strata-credentials-")), "credentials");
  writeFileSync(
    path,
    "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[strata]\naws_access_key_id = C\n",
  );
  expect(() => readCredentialsFile(path)).toThrow(CredentialsFileError);
  expect(() => readCredentialsFile(path)).toThrow(
    /profile \[strata\] needs aws_access_key_id and aws_secret_access_key/,
  );
  expect(() => readCredentialsFile(join(tmpdir(), "no-such-dir", "credentials"))).toThrow(/does not exist/);
});
