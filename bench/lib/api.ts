import { DEMO_PASSWORD } from '../../src/seed/demo-users.ts';

/** A benchmark's client for the real server it started: calls, calls that must answer a status, sign-in. */
export const api = (port: number) => {
  const call = async (token: string | null, method: string, url: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
    const res = await fetch(`http://127.0.0.1:${port}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
  };
  const must = async (want: number, ...args: Parameters<typeof call>): Promise<unknown> => {
    const r = await call(...args);
    if (r.status !== want) {
      throw new Error(`${args[1]} ${args[2]}: ${r.status} ${JSON.stringify(r.body).slice(0, 2000)}`);
    }
    return r.body;
  };
  const login = async (username: string): Promise<string> =>
    ((await must(200, null, 'POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD })) as { token: string }).token;
  return { call, must, login };
};

/** Deterministic pseudo-random numbers in [0, 1), so every run sends the same load. */
export const rng = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
