/** A tiny cookie-keeping HTTP client for the Ärendesystemet tests (redirects are not followed). */
export class Browserless {
  private cookie = '';
  constructor(readonly baseUrl: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      redirect: 'manual',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return { status: res.status, location: res.headers.get('location') ?? '', body: await res.text() };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, form: Record<string, string>) {
    return this.request('POST', path, form);
  }

  async logIn(username = 'robot', password = 'test-losen') {
    return this.post('/login', { username, password, next: '/' });
  }
}

/** Yesterday in Stockholm (a valid application date whatever day the tests run). */
export function yesterday(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date(Date.now() - 86_400_000));
}
