// The hub's API from the page: same origin, the browser session's cookie (never the API
// token), JSON in and out. A refusal becomes an ApiError with the hub's own message.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let value: unknown = null;
  try {
    value = text === "" ? null : JSON.parse(text);
  } catch {
    value = null;
  }
  if (!response.ok) {
    const error = (value as { error?: { name?: string; message?: string; data?: Record<string, unknown> } } | null)?.error;
    throw new ApiError(response.status, error?.name ?? "HttpError", error?.message ?? `${method} ${path}: HTTP ${response.status}`, error?.data ?? {});
  }
  return value as T;
}

/** `/api/sessions/HOST/NAME` and what follows: a session is (host, name) everywhere. */
export const sessionPath = (host: string, name: string, suffix = "") => `/api/sessions/${encodeURIComponent(host)}/${encodeURIComponent(name)}${suffix}`;

/** Trades the one-time code of `csm web` for the browser session's cookie. */
export async function logIn(code: string): Promise<void> {
  await api("POST", "/api/web/login", { code });
}

/** True while the browser session is valid. */
export async function loggedIn(): Promise<boolean> {
  const response = await fetch("/api/web/whoami", { credentials: "same-origin" });
  return response.ok;
}
