import { type FormEvent, useState } from "react";
import { ErrorMessage } from "../../components/page.js";
import { messageOf } from "../../lib/api-client.js";
import { sessionEndReason } from "../../lib/session.js";
import { signIn } from "./sign-in.js";

export function SignInPage() {
  const [error, setError] = useState<string | undefined>(sessionEndReason());
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const accessKeyId = String(data.get("accessKeyId") ?? "").trim();
    const secret = String(data.get("secretAccessKey") ?? "").trim();
    // The secret leaves the form at once: only the derived keys are kept.
    (form.elements.namedItem("secretAccessKey") as HTMLInputElement).value = "";
    setBusy(true);
    setError(undefined);
    try {
      await signIn(accessKeyId, secret);
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form onSubmit={submit} aria-labelledby="sign-in-title" className="card">
        <h1 id="sign-in-title">Sign in to Strata</h1>
        <p className="muted">
          Use a Strata access key (<code>strata keys create</code>, or the pair in the credentials file
          written at first start).
        </p>
        <label htmlFor="access-key-id">Access key ID</label>
        <input id="access-key-id" name="accessKeyId" required autoComplete="username" spellCheck={false} />
        <label htmlFor="secret-access-key">Secret access key</label>
        <input
          id="secret-access-key"
          name="secretAccessKey"
          type="password"
          required
          autoComplete="off"
          spellCheck={false}
        />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        <p className="muted small">
          The secret never leaves this page: the console derives request-signing keys from it (valid for this
          API until the end of the next UTC day) and keeps only those, in this tab. Signing out forgets them.
        </p>
      </form>
    </main>
  );
}
