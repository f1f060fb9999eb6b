/**
 * Interactive API docs at GET /docs: one self-contained page (no CDN, no external assets) that reads
 * /openapi.json and shows every route with its parameters, body schema, responses and error codes,
 * and sends real requests from a "Try it" form.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs · Movie-review sentiment</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%230969da'/%3E%3C/svg%3E">
<style>
  body { font: 15px/1.5 system-ui, sans-serif; max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin: 0; }
  section { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; padding: .75rem 1rem; }
  .method { display: inline-block; min-width: 3.5rem; font: 600 .8rem ui-monospace, monospace; color: #fff;
    border-radius: 4px; padding: .1rem .4rem; text-align: center; margin-right: .5rem; }
  .get { background: #0969da; } .post { background: #1a7f37; } .put, .patch { background: #9a6700; } .delete { background: #cf222e; }
  code, pre, textarea { font: .85rem ui-monospace, monospace; }
  pre { background: #f6f8fa; border-radius: 6px; padding: .6rem; overflow: auto; max-height: 22rem; }
  textarea { width: 100%; min-height: 6rem; box-sizing: border-box; }
  table { border-collapse: collapse; } th, td { border: 1px solid #d0d7de; padding: .2rem .5rem; text-align: left; }
  details summary { cursor: pointer; color: #57606a; }
  .status { font-weight: 600; }
</style>
</head>
<body>
<h1 id="title">API docs</h1>
<p id="description"></p>
<p><a href="openapi.json">openapi.json</a> · <a href="./">playground</a></p>
<div id="routes">Loading the OpenAPI document…</div>
<script>
const $ = (id) => document.getElementById(id);
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  Object.assign(node, attrs || {});
  for (const child of children) node.append(child);
  return node;
};
let doc;
const resolve = (schema) => {
  if (schema && schema.$ref) return resolve(schema.$ref.replace('#/', '').split('/').reduce((o, k) => o[k], doc));
  return schema;
};
const expand = (schema, depth = 0) => {
  schema = resolve(schema);
  if (!schema || typeof schema !== 'object' || depth > 6) return schema;
  const out = Array.isArray(schema) ? [] : {};
  for (const [k, v] of Object.entries(schema)) out[k] = typeof v === 'object' ? expand(v, depth + 1) : v;
  return out;
};
const EXAMPLES = {
  'POST /predict': { review: 'A wonderful film with a superb cast, though the ending drags.', explain: true, top: 3 },
};

function route(path, method, op) {
  const key = method.toUpperCase() + ' ' + path;
  const section = el('section', { id: method + path.replace(/[^a-z0-9]/gi, '-') });
  section.append(el('h2', {}, el('span', { className: 'method ' + method, textContent: method.toUpperCase() }), el('code', { textContent: path }), ' ', op.summary || ''));
  if (op.parameters && op.parameters.length) {
    const rows = op.parameters.map((p) => el('tr', {}, el('td', {}, el('code', { textContent: p.name })), el('td', { textContent: p.in }), el('td', { textContent: (resolve(p.schema) || {}).type || '' }), el('td', { textContent: p.description || '' })));
    section.append(el('p', { textContent: 'Parameters' }), el('table', {}, ...rows));
  }
  const body = op.requestBody && op.requestBody.content && op.requestBody.content['application/json'];
  if (body) section.append(el('details', {}, el('summary', { textContent: 'Request body schema' }), el('pre', { textContent: JSON.stringify(expand(body.schema), null, 2) })));
  const responses = Object.entries(op.responses || {}).map(([status, r]) => {
    const schema = r.content && r.content['application/json'] && r.content['application/json'].schema;
    return el('tr', {}, el('td', { className: 'status', textContent: status }), el('td', { textContent: r.description || '' }), el('td', {}, schema ? el('details', {}, el('summary', { textContent: 'schema' }), el('pre', { textContent: JSON.stringify(expand(schema), null, 2) })) : ''));
  });
  if (responses.length) section.append(el('p', { textContent: 'Responses' }), el('table', {}, ...responses));
  // Try it: a real request to this server.
  const input = el('textarea', { value: body ? JSON.stringify(EXAMPLES[key] || {}, null, 2) : '', hidden: !body });
  input.setAttribute('aria-label', 'request body for ' + key);
  const output = el('pre', { hidden: true, className: 'response' });
  const send = el('button', { type: 'button', textContent: 'Try it' });
  send.addEventListener('click', async () => {
    send.disabled = true;
    try {
      const response = await fetch(path.replace(/^\\//, ''), body
        ? { method: method.toUpperCase(), headers: { 'content-type': 'application/json' }, body: input.value }
        : { method: method.toUpperCase() });
      const type = response.headers.get('content-type') || '';
      const text = await response.text();
      output.textContent = response.status + ' ' + response.statusText + '\\n\\n' + (type.includes('json') ? JSON.stringify(JSON.parse(text), null, 2) : text.slice(0, 400));
    } catch (error) {
      output.textContent = 'request failed: ' + error.message;
    } finally {
      output.hidden = false;
      send.disabled = false;
    }
  });
  section.append(el('details', {}, el('summary', { textContent: 'Try it' }), input, send, output));
  return section;
}

fetch('openapi.json').then((r) => r.json()).then((d) => {
  doc = d;
  $('title').textContent = d.info.title + ' (v' + d.info.version + ')';
  $('description').textContent = d.info.description || '';
  const routes = $('routes');
  routes.textContent = '';
  for (const [path, ops] of Object.entries(d.paths)) for (const [method, op] of Object.entries(ops)) routes.append(route(path, method, op));
  const codes = resolve({ $ref: '#/components/schemas/Error' }).properties.error.properties.code.enum;
  routes.append(el('section', { id: 'errors' }, el('h2', { textContent: 'Error codes' }), el('p', { textContent: 'Every error is {"error": {"code", "message"}} with one of: ' + codes.join(', ') + '.' })));
}, (error) => { $('routes').textContent = 'Could not load openapi.json: ' + error.message; });
</script>
</body>
</html>
`;
