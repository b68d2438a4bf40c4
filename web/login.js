// Sign-in page: exchanges an access token for an HttpOnly session cookie, then goes back to
// the page that sent the user here (?next=/...), or to the dashboard.

const form = document.getElementById('login-form');
const input = document.getElementById('token');
const error = document.getElementById('login-error');

function nextPage() {
  const next = new URLSearchParams(location.search).get('next') || '/';
  // Only paths on this server: never an absolute URL to elsewhere.
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  error.hidden = true;
  const res = await fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token: input.value.trim() }),
  });
  if (res.ok) {
    input.value = '';
    location.assign(nextPage());
    return;
  }
  let message = `Sign-in failed (${res.status})`;
  try {
    const body = await res.json();
    if (body && body.error && body.error.message) message = body.error.message;
  } catch {
    /* keep the status line */
  }
  error.textContent = message;
  error.hidden = false;
});
