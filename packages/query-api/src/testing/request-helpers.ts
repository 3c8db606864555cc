/** Minimal in-process request helpers for tests: `app.request()` with a Bearer key. */
interface RequestApp {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

export async function getJson(app: RequestApp, path: string, key: string): Promise<{ status: number; body: any }> {
  const res = await app.request(path, { headers: bearer(key) });
  return { status: res.status, body: await res.json() };
}

export async function postJson(app: RequestApp, path: string, key: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { ...bearer(key), 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}
