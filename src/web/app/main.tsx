import { render } from "preact";
import { loggedIn, logIn } from "./api.ts";
import { App } from "./app.tsx";
import "./style.css";

// The page's start: trade a login code from the URL's fragment (`csm web` prints
// http://127.0.0.1:PORT/#login=CODE) for the browser session's cookie, drop the code from
// the address bar and history at once, then show the dashboard or how to log in.

function LoggedOut({ error }: { error: string | null }) {
  return (
    <main class="login">
      <h1>csm</h1>
      {error && <p class="error">{error}</p>}
      <p>
        This browser is not logged in to the hub. Run <code>csm web</code> in a terminal on this machine and open the link it prints (it works once, for 2 minutes).
      </p>
    </main>
  );
}

async function start(): Promise<void> {
  const root = document.getElementById("app")!;
  const code = /(?:^#|&)login=([^&]*)/.exec(location.hash)?.[1];
  let error: string | null = null;
  if (code !== undefined) {
    history.replaceState(null, "", location.pathname + location.search);
    try {
      await logIn(decodeURIComponent(code));
    } catch (e) {
      error = `that login link did not work: ${(e as Error).message}`;
    }
  }
  let ok = false;
  try {
    ok = await loggedIn();
  } catch (e) {
    error = `the hub does not answer: ${(e as Error).message}`;
  }
  root.textContent = "";
  document.body.dataset.auth = ok ? "in" : "out";
  render(ok ? <App /> : <LoggedOut error={error} />, root);
}

// A login link opened in a tab that shows this page already changes only the fragment.
window.addEventListener("hashchange", () => {
  if (location.hash.includes("login=")) location.reload();
});

void start();
