/**
 * The admin console's entry page. Server-rendered; the API key stays in the
 * browser's session storage and is sent only to this origin's API.
 */
export function renderAdminPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Switchboard — admin</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
input{width:28rem;max-width:100%;padding:.4rem}button{padding:.4rem .8rem}pre{background:#f2f4f8;padding:.75rem;border-radius:6px;overflow:auto}
.muted{color:#667}</style></head><body>
<h1>Switchboard pilot plane</h1>
<p class="muted">Partner admin console. <a href="/docs">API reference</a></p>
<section><h2>Sign in</h2>
<form id="signin"><label>API key <input id="key" type="password" autocomplete="off" placeholder="sb_live_…" required></label>
<button type="submit">Sign in</button></form></section>
<section id="tenant" hidden><h2>Tenant</h2><pre id="tenant-out"></pre>
<button id="self-test">Run deployment self-test</button> <button id="signout">Sign out</button>
<pre id="self-test-out" hidden></pre></section>
<section><h2>Status</h2><pre id="ready">checking…</pre></section>
<script>
const $ = (id) => document.getElementById(id);
const api = (path, init = {}) => fetch(path, { ...init, headers: { authorization: "Bearer " + sessionStorage.getItem("sb-key"), ...(init.headers || {}) } });
async function showTenant() {
  const res = await api("/v1/tenant");
  const body = await res.json();
  $("tenant").hidden = !res.ok;
  $("tenant-out").textContent = JSON.stringify(res.ok ? body : { error: body.detail }, null, 2);
  if (!res.ok) { sessionStorage.removeItem("sb-key"); alert(body.detail); }
}
$("signin").addEventListener("submit", (e) => { e.preventDefault(); sessionStorage.setItem("sb-key", $("key").value); showTenant(); });
$("signout").addEventListener("click", () => { sessionStorage.removeItem("sb-key"); $("tenant").hidden = true; });
$("self-test").addEventListener("click", async () => {
  const out = $("self-test-out"); out.hidden = false;
  let res = await api("/v1/self-tests", { method: "POST" });
  let body = await res.json();
  for (let i = 0; res.ok && body.status === "queued" && i < 20; i++) {
    out.textContent = "queued…"; await new Promise((r) => setTimeout(r, 500));
    res = await api("/v1/self-tests/" + body.id); body = await res.json();
  }
  out.textContent = JSON.stringify(body, null, 2);
});
fetch("/readyz").then((r) => r.json()).then((b) => { $("ready").textContent = JSON.stringify(b, null, 2); });
if (sessionStorage.getItem("sb-key")) showTenant();
</script></body></html>`;
}
