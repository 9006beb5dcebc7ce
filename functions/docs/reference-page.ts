/**
 * A self-contained API reference rendered on the server from the OpenAPI
 * document: no CDN, works offline and on white-label domains.
 */
type Doc = {
  info: { title: string; version: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, Operation>>;
};
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { description?: string }>;
};

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch,
  );

function renderOperation(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""})</li>`,
    )
    .join("");
  const body = op.requestBody?.content ? Object.keys(op.requestBody.content).map(escape).join(", ") : "";
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<li><code>${escapeHtml(status)}</code> ${escapeHtml(r.description ?? "")}</li>`)
    .join("");
  return `<section class="op" id="${escapeHtml(op.operationId ?? `${method}-${path}`)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(op.summary ?? "")}</strong>${op.security?.length ? ' <span class="lock">requires API key</span>' : ""}</p>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ""}
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}
${body ? `<h4>Body</h4><p>${body}</p>` : ""}
<h4>Responses</h4><ul>${responses}</ul></section>`;
}

export function renderReferencePage(document: object): string {
  const doc = document as Doc;
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(method, path, op)]);
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => {
      const about = doc.tags?.find((t) => t.name === tag)?.description ?? "";
      return `<h2>${escapeHtml(tag)}</h2><p>${escapeHtml(about)}</p>${ops.join("")}`;
    })
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} — reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
code{background:#f2f4f8;padding:0 .25rem;border-radius:3px}.op{border:1px solid #dde2ea;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.m{font-weight:700;padding:.1rem .4rem;border-radius:3px;color:#fff;background:#556}.get{background:#2b6cb0}.post{background:#2f855a}
.put,.patch{background:#b7791f}.delete{background:#c53030}.lock{font-size:.8rem;color:#805ad5}</style></head>
<body><h1>${escapeHtml(doc.info.title)} <small>v${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${sections}</body></html>`;
}
