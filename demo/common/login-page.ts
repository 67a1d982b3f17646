import { html, type DemoPage } from './html.js';

/** Only local paths: an open redirect through ?next= would be a bug even in a demo. */
export function safeNext(next: string | undefined): string {
  if (!next) return '/';
  let path = next;
  try {
    if (/^https?:/i.test(next)) {
      const u = new URL(next);
      path = u.pathname + u.search;
    }
  } catch {
    return '/';
  }
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/login') ? path : '/';
}

export function loginPage(o: { next: string; failed?: boolean; expired?: boolean; username?: string }): DemoPage {
  const message = o.failed
    ? html`<p class="fel" role="alert">Fel användarnamn eller lösenord.</p>`
    : o.expired
      ? html`<p class="fel" role="alert">Din session har gått ut. Logga in igen.</p>`
      : '';
  return {
    title: 'Logga in',
    status: o.failed ? 401 : 200,
    body: html`${message}
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${o.next}" />
        <label for="username">Användarnamn</label
        ><input id="username" name="username" autocomplete="username" required value="${o.username ?? ''}" />
        <label for="password">Lösenord</label
        ><input id="password" name="password" type="password" autocomplete="current-password" required />
        <div><button type="submit">Logga in</button></div>
      </form>`,
  };
}
