// Issue 7 (in part): Go templates, compared with real kubectl running offline through
// `kubectl annotate --local -f FILE x=y -o go-template=…` on the same object, errors included.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { cluster, hasKubectl, MANIFESTS } from './helpers.mjs';
import { sampleService } from './fixtures.mjs';
const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const c = cluster({ seed: 'gotemplate' });
after(() => c.cleanup());

const TEMPLATES = [
  "{{.metadata.name}}",
  "{{.spec.ports}}",
  "{{.metadata.labels}}",
  "{{range .spec.ports}}{{.port}} {{end}}",
  "{{index .metadata.labels \"app\"}}",
  "{{len .spec.ports}}",
  "{{printf \"%s-%d\" .metadata.name 5}}",
  "{{.nope}}",
  "{{.spec.nope.x}}",
  "{{if eq .spec.type \"NodePort\"}}yes{{else}}no{{end}}",
  "{{range $i, $p := .spec.ports}}{{$i}}={{$p.name}};{{end}}",
  "{{- .kind -}}  x",
  "{{(index .spec.ports 0).port}}",
  "{{.spec.ports | len}}",
  "{{with .spec.selector}}{{.app}}{{end}}",
  "{{/* c */}}ok",
  "{{printf \"%v\" .spec.ports}}",
  "{{printf \"%q\" .kind}}",
  // fmt's bad-verb forms: a template constant is an int, a number of the object an int64, a missing key a nil
  "{{printf \"%s|%v|%d\" 3 .nope .nope}}",
  "{{printf \"%d %s %v\" \"a\" 1.5 true}}",
  "{{printf \"%s\" .spec.ports 3 \"x\"}}",
  "{{printf \"%d\" (index .spec.ports 0).port 7}}",
  "{{printf \"%0999999999d\" 1}}",
  "{{.x",
  "{{range .spec.ports}}{{else}}none{{end}}",
  "{{print 1 2 \"a\" \"b\" 3}}",
  "{{println \"a\"}}",
  "{{and 1 0}}",
  "{{or 0 \"\" \"x\"}}",
  "{{not true}}",
  "{{lt 1 2}}",
  "{{eq .kind \"Service\" \"Pod\"}}",
  "{{.spec.ports.0}}",
  "{{printf \"%5s|%-5s|\" \"a\" \"b\"}}",
  "{{.status.loadBalancer}}",
  "{{index .spec.ports 5}}",
  "{{base64decode \"aGk=\"}}",
  "{{$x := 5}}{{$x}}",
  "{{range .spec.nope}}x{{else}}empty{{end}}",
  "{{if .spec.nope}}a{{else if .kind}}b{{else}}c{{end}}",
  "{{range .spec.ports}}{{if gt .port 100}}{{.name}}{{end}}{{end}}",
  "{{range $k, $v := .metadata.labels}}{{$k}}={{$v}},{{end}}",
  "{{$.kind}}",
  "{{range .spec.ports}}{{$.metadata.name}}:{{.name}} {{end}}",
  "{{.metadata.name}}{{\"\\n\"}}",
  "{{ .kind }} {{ .apiVersion }}",
  "{{len .metadata.name}}",
  "{{ne .kind \"Pod\"}}",
  "{{printf \"%d ports\" (len .spec.ports)}}",
  "{{range .spec.ports}}{{.targetPort}}{{\"\\n\"}}{{end}}",
  "{{index .spec.ports 0 \"name\"}}",
  "{{.spec.ports | printf \"%v\"}}",
  "{{le 3 3}} {{ge 2 3}}",
  "{{nofunc .kind}}",
  "{{range .spec.ports}}{{end"
];

test(`${TEMPLATES.length} Go templates print what kubectl prints`, (t) => {
  if (!hasKubectl()) {
    t.skip('kubectl is not installed: nothing to compare with');
    return;
  }
  const svc = sampleService();
  const f = join(c.dir, 'svc.json');
  writeFileSync(f, JSON.stringify(svc));
  const ours = { ...svc, metadata: { ...svc.metadata, annotations: { ...svc.metadata.annotations, x: 'y' } } };
  for (const tmpl of TEMPLATES) {
    const k = spawnSync('kubectl', ['annotate', '--local', '-f', f, 'x=y', '-o', `go-template=${tmpl}`], { encoding: 'utf8' });
    let out = '';
    let err = '';
    try {
      out = lib.printGoTemplate(tmpl, ours);
    } catch (e) {
      out = e.stdout ?? '';
      err = e.message + '\n';
    }
    assert.equal(out, k.stdout, `${tmpl}: stdout`);
    assert.equal(err, k.stderr, `${tmpl}: stderr`);
    assert.equal(err ? 1 : 0, k.status, `${tmpl}: exit code`);
  }
});

test('get -o go-template and --template', () => {
  c.ok(['create', '-f', join(MANIFESTS, 'nginx-pod.yaml')]);
  assert.equal(c.ok(['get', 'pod', 'mypod', '--template', '{{(index (index .spec.containers 0).ports 0).containerPort}}{{"\\n"}}']), '80\n');
  assert.equal(c.ok(['get', 'nodes', '-o', 'go-template={{range .items}}{{.metadata.name}} {{end}}']), 'controlplane node01 node02 ');
  const bad = c.run(['get', 'nodes', '-o', 'go-template={{.x']);
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: error parsing template {{.x, template: output:1: unclosed action\n']);
});
