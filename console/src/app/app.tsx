// The console's shell: sign-in when there is no session, else navigation and the page the hash names.
import { useSyncExternalStore } from "react";
import { SignInPage } from "../features/auth/sign-in-page.js";
import { currentSession, endSession, subscribeToSession } from "../lib/session.js";
import { useRoute } from "./router.js";
import { RouteView, sections } from "./routes.js";

export function App() {
  const session = useSyncExternalStore(subscribeToSession, currentSession);
  const route = useRoute();
  if (!session) return <SignInPage />;
  const current = route.labels[0] ?? "catalog";
  return (
    <div className="shell">
      <button type="button" className="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        Skip to content
      </button>
      <header className="top-bar">
        <span className="brand">Strata</span>
        <nav aria-label="Console sections">
          <ul>
            {sections.map((section) => (
              <li key={section.id}>
                <a href={`#/${section.id}`} aria-current={current === section.id ? "page" : undefined}>
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="session">
          <span className="session-key small" title="Signed in with this access key">
            {session.accessKeyId}
          </span>
          <button type="button" onClick={() => endSession()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <RouteView route={route} />
      </main>
    </div>
  );
}
