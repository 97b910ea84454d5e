const KEY = 'drillbook-token';

// The runner hands the page its token in the URL fragment (never sent to a server). The page keeps
// it in localStorage, so reloads and other tabs of this origin can use it, and drops it from the URL.
export function readToken(): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (match?.[1]) {
    localStorage.setItem(KEY, match[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(KEY);
}
