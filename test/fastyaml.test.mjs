// The fast manifest reader must agree with the `yaml` package (read as YAML 1.1, as go-yaml reads
// for kubectl) on everything it accepts, and refuse (so the caller falls back) everything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { MANIFESTS } from './helpers.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');
const Y = require('../dist/yaml.cjs');

const full = (text) =>
  Y.parseAllDocuments(text, { version: '1.1', uniqueKeys: false, customTags: (t) => t.filter((x) => typeof x === 'string' || x.tag !== 'tag:yaml.org,2002:timestamp') })
    .map((d) => d.toJS())
    .filter((v) => v != null);

const accepted = [
  ...readdirSync(MANIFESTS, { recursive: true }).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(MANIFESTS, f), 'utf8')),
  'apiVersion: v1\nkind: Service\nmetadata:\n    name: nginx  # a comment\n    labels:\n        app: nginx\nspec:\n    ports:\n        - name: http\n          port: 80\n',
  'a: yes\nb: "x: y"\nc: \'it\'\'s\'\nd: [1, a, "b"]\ne: {}\nf: []\ng: 0777\nh: 1.5e3\ni: ~\nj:\nk: -1\nl: 2025-01-01T00:00:00Z\nm: a # comment\nn: "\\u00e9\\n\\t"\no: a:b\np: http://x.y/z\nq: ""\nr: {a: 1, b: x}\ns: off\nt: .inf\nu: 0x1F\n',
  'list:\n- a\n- - b\n  - c\n-\n  x: 1\n- z:\n  - 3\n  w: 4\n',
  'a:\n  - b\n  - c\nd: e\n',
  'x: 1\n---\n# only a comment\n---\ny2: 2\n...\n',
  '"quoted key": 1\n\'single\': 2\nport: "80"\n',
  'env:\n- name: A\n  value: "1"\n- name: B\n  value: hello world\n',
];
const refused = [
  'a: |\n  text\n',
  'a: >\n  folded\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  'a: [1, [2]]\n',
  'a: b\n  continued\n',
  'a: "multi\n  line"\n',
  '--- inline\n',
  'a:\n\tb: 1\n',
  'n: 1_000\n',
];

test('agrees with the yaml package on the manifest subset', () => {
  for (const text of accepted) assert.deepEqual(lib.parseManifestYaml(text).filter((v) => v != null), full(text), text);
});

test('refuses what it does not handle, so the yaml package reads it', () => {
  for (const text of refused) assert.throws(() => lib.parseManifestYaml(text), lib.Unsupported, text);
});

test('a 1,000-document file reads the same both ways', () => {
  let text = '';
  for (let i = 0; i < 1000; i++) text += `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\n  labels:\n    app: app-${i}\nspec:\n  selector:\n    app: app-${i}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n`;
  assert.deepEqual(lib.parseManifestYaml(text), full(text));
});

// The kubeconfig's reader (cli/kubeconfig.ts): the same subset, resolved as the `yaml` package's
// default (YAML 1.2, core schema) resolves it, which is how kubesim read its kubeconfig before.
const core = (text) => Y.parseAllDocuments(text).map((d) => d.toJS());
const kubeconfigs = [
  // as `kubesim config` writes it (clientcmd's layout: sorted keys, null for an empty list)
  'apiVersion: v1\nclusters:\n- cluster:\n    server: file:///root/.kubesim/cluster\n  name: kubesim\ncontexts:\n- context:\n    cluster: kubesim\n    namespace: dev\n    user: jane\n  name: jane@dev\n- context:\n    cluster: kubesim\n    user: kubesim\n  name: kubesim\ncurrent-context: kubesim\nkind: Config\npreferences: {}\nusers:\n- name: jane\n  user: {}\n- name: kubesim\n  user: {}\n',
  'apiVersion: v1\nclusters: null\ncontexts: null\ncurrent-context: ""\nkind: Config\npreferences: {}\nusers: null\n',
  'apiVersion: v1\nkind: Config\ncurrent-context: ""\npreferences: {}\n',
  // YAML 1.1's bools and nulls are strings in 1.2, except the 1.2 forms
  'a: yes\nb: no\nc: on\nd: off\ne: y\nf: True\ng: FALSE\nh: ~\ni: null\nj:\nk: Null\n',
  'users:\n- name: x\n  user:\n    token: abc.def-ghi_jkl\n    client-certificate-data: LS0tLS1CRUdJTi==\n    as-user-extra: {}\n    exec:\n      args: [a, "b c"]\n      env: []\n',
  'x: "it\'s: quoted"\ny: \'single \'\'q\'\'\'\nz: a # comment\n# a comment line\nw: "\\t\\u00e9"\n',
  '',
  'a: x\n---\nb: y\n',
];
const coreRefused = [
  'port: 8080\n', // numbers: 1.2's forms differ from 1.1's (0o17, 1_000): the yaml package reads them
  'a: -1\n',
  'a: .inf\n',
  'a: 1\na: 2\n', // a repeated key: the yaml package's error
  'a: {b: 1, b: 2}\n',
  'a: |\n  text\n',
  'a: &x b\nc: *x\n',
  'a: b: c\n', // the yaml package's error too
  '{"apiVersion": "v1", "clusters": [{"name": "x"}]}\n', // JSON with nested flow
  'a: x\n---\nb: [\n', // a broken document after the first: all of it goes to the yaml package
  'args: [a, b,]\n', // a trailing comma in a flow sequence
  'args: [a,, b]\n',
];

test('the kubeconfig reader agrees with the yaml package (YAML 1.2, core schema) on what it accepts', () => {
  for (const text of kubeconfigs) assert.deepEqual(lib.parseCoreYaml(text)[0], core(text)[0], text);
});

test('the kubeconfig reader refuses numbers, repeated keys and what the manifest reader refuses', () => {
  for (const text of [...coreRefused, ...refused]) assert.throws(() => lib.parseCoreYaml(text), lib.Unsupported, text);
});
