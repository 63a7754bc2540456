// A stand-in apiserver for the real kubectl's `explain`: discovery (/api, /apis, /api/v1, …) and
// /openapi/v3 from kubesim's generated definitions (src/api/explain.json through openAPIDocument),
// so kubectl 1.32's own template renders the same document kubesim renders. Loopback only.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ROOT } from './helpers.mjs';

const lib = createRequire(import.meta.url)('../dist/lib.cjs');

/** Starts the server; resolves to { url, kubeconfig(dir) → path, close() }. resources: [{group, version, kind, name, shortNames, namespaced}]. */
export async function startOpenAPIServer(resources) {
  const data = JSON.parse(readFileSync(join(ROOT, 'src/api/explain.json'), 'utf8'));
  const gvs = new Map();
  for (const r of resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    if (!gvs.has(gv)) gvs.set(gv, { group: r.group, version: r.version, resources: [] });
    gvs.get(gv).resources.push(r);
  }
  const docs = new Map();
  const pathOf = (g) => (g.group ? `apis/${g.group}/${g.version}` : `api/${g.version}`);
  for (const g of gvs.values()) {
    const doc = lib.openAPIDocument(data, g.group, g.version);
    // explain looks the GVK up through the resource's paths (plaintext.tmpl)
    doc.openapi = '3.0.0';
    doc.info = { title: 'Kubernetes', version: 'v1.32.0' };
    doc.paths = {};
    for (const r of g.resources) {
      const p = `/${pathOf(g)}/${r.namespaced ? 'namespaces/{namespace}/' : ''}${r.name}`;
      doc.paths[p] = { get: { 'x-kubernetes-group-version-kind': { group: g.group, kind: r.kind, version: g.version }, responses: {} } };
    }
    docs.set(pathOf(g), JSON.stringify(doc));
  }
  const json = (res, body) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const list = (g) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: g.group ? `${g.group}/${g.version}` : g.version,
    resources: g.resources.map((r) => ({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'], shortNames: r.shortNames })),
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    if (p === '/api') return json(res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') {
      const groups = [...gvs.values()].filter((g) => g.group).map((g) => ({ name: g.group, versions: [{ groupVersion: `${g.group}/${g.version}`, version: g.version }], preferredVersion: { groupVersion: `${g.group}/${g.version}`, version: g.version } }));
      return json(res, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    if (p === '/openapi/v3') return json(res, { paths: Object.fromEntries([...docs.keys()].map((k) => [k, { serverRelativeURL: `/openapi/v3/${k}?hash=0` }])) });
    if (p.startsWith('/openapi/v3/') && docs.has(p.slice('/openapi/v3/'.length))) return json(res, docs.get(p.slice('/openapi/v3/'.length)));
    for (const g of gvs.values()) if (p === `/${pathOf(g)}`) return json(res, list(g));
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    kubeconfig(dir) {
      const file = join(dir, 'kubeconfig');
      writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: s\n  cluster:\n    server: ${url}\ncontexts:\n- name: s\n  context:\n    cluster: s\n    user: u\ncurrent-context: s\nusers:\n- name: u\n  user: {}\n`);
      return file;
    },
    close: () => new Promise((r) => server.close(r)),
  };
}
