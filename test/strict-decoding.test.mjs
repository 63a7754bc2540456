// The apiserver's field validation (kubectl 1.32's --validate, default strict): unknown fields fail
// the request (Strict), come back as warnings (Warn) or are dropped silently (Ignore), and are never
// stored. Messages from sigs.k8s.io/json's strict decoder (decode order: kubectl's JSON has sorted
// keys), apimachinery's json serializer, the apiserver's create and patch handlers, and kubectl's
// GetValidationDirective, warning writer and checkErr.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { BIN, ROOT, cluster, hasKubectl, stateSnapshot } from './helpers.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');

const files = mkdtempSync(join(tmpdir(), 'kubesim-strict-'));
const clusters = [];
after(() => {
  for (const c of clusters) c.cleanup();
  rmSync(files, { recursive: true, force: true });
});
let n = 0;
function file(text, name = `m${n++}.yaml`) {
  const f = join(files, name);
  writeFileSync(f, text);
  return f;
}
function fresh() {
  const c = cluster({ seed: 'strict' });
  clusters.push(c);
  c.ok(['get', 'ns']);
  return c;
}
const getJSON = (c, ...args) => JSON.parse(c.ok(['get', ...args, '-o', 'json']));

// the brief's manifest: fields in manifest order prots before ports, a case-mismatched targetport
const SVC = `apiVersion: v1
kind: Service
metadata:
  name: x
spec:
  prots:
  - port: 80
  ports:
  - port: 80
    targetport: 8080
`;
const SVC_ERR = (verb, f) =>
  `Error from server (BadRequest): error when ${verb} "${f}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.ports[0].targetport", unknown field "spec.prots"\n`;

describe('strict (the default): the request fails, the state is byte-identical', () => {
  const c = fresh();
  const CASES = [
    {
      what: 'top level',
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\nzzz: 1\n',
      errs: ['zzz'],
    },
    {
      what: 'metadata',
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a, lables: {app: a}}\nspec: {ports: [{port: 80}]}\n',
      errs: ['metadata.lables'],
    },
    { what: 'spec', yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}], selecter: {app: a}}\n', errs: ['spec.selecter'] },
    {
      what: 'an item of a nested list, with the index',
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}, {port: 81, name: b, nodeport: 30000}]}\n',
      errs: ['spec.ports[1].nodeport'],
    },
    {
      what: 'case matters: Kind and Port are not kind and port',
      yaml: 'apiVersion: v1\nKind: Service\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80, Port: 81}]}\n',
      errs: ['Kind', 'spec.ports[0].Port'],
    },
    {
      what: 'several, in the decoder\'s order: keys sorted at each level, depth first',
      yaml: 'zeta: 1\napiVersion: v1\nkind: Service\nmetadata: {name: a, zz: 1, annotations: {a: b}, aa: 2}\nspec: {portsX: 1, ports: [{zport: 1, port: 80, aport: 2}]}\nalpha: 0\n',
      errs: ['alpha', 'metadata.aa', 'metadata.zz', 'spec.ports[0].aport', 'spec.ports[0].zport', 'spec.portsX', 'zeta'],
    },
    {
      what: 'a null value is still an unknown key; what is inside an unknown field is not looked at',
      yaml: 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}], extra: null, more: {deep: {deeper: 1}}}\n',
      errs: ['spec.extra', 'spec.more'],
    },
    {
      what: 'a Deployment, down in its pod template',
      yaml: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replica: 2\n  selector: {matchLabels: {app: d}}\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        imagePullPolicyy: Always\n',
      errs: ['spec.replica', 'spec.template.spec.containers[0].imagePullPolicyy'],
      kind: 'Deployment',
    },
  ];
  for (const { what, yaml, errs, kind = 'Service' } of CASES) {
    test(what, () => {
      const f = file(yaml);
      for (const verb of ['create', 'apply']) {
        const before = stateSnapshot(c.dir);
        const r = c.run([verb, '-f', f]);
        assert.equal(r.code, 1, `${verb}: ${r.stderr}`);
        assert.equal(r.stdout, '');
        assert.equal(
          r.stderr,
          `Error from server (BadRequest): error when creating "${f}": ${kind} in version "v1" cannot be handled as a ${kind}: strict decoding error: ${errs.map((e) => `unknown field "${e}"`).join(', ')}\n`,
          verb,
        );
        assert.deepEqual(stateSnapshot(c.dir), before, `${verb}: the state is byte-identical`);
      }
    });
  }

  test('the brief\'s manifest, with --validate, --validate=true, =strict, =1, =t, =TRUE', () => {
    const f = file(SVC);
    for (const flag of [[], ['--validate'], ['--validate=true'], ['--validate=strict'], ['--validate=1'], ['--validate=t'], ['--validate=TRUE']]) {
      const r = c.run(['create', '-f', f, ...flag]);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, SVC_ERR('creating', f), flag.join(' '));
    }
    assert.equal(c.run(['get', 'svc', 'x']).code, 1, 'nothing was created');
  });

  test('a type error wins over unknown fields (UnmarshalStrict returns strict errors only when decoding succeeded), in every mode', () => {
    const f = file('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {prots: 1, ports: [{port: "80"}]}\n');
    for (const mode of ['strict', 'warn', 'ignore']) {
      const r = c.run(['create', '-f', f, `--validate=${mode}`]);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr,
        `Error from server (BadRequest): error when creating "${f}": Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32\n`,
        mode,
      );
    }
  });

  test('the first type error is the first in sorted key order, whatever the manifest\'s order', () => {
    const f = file('apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {type: 5, ports: [{port: 80}], clusterIP: 7}\n');
    const r = c.run(['create', '-f', f]);
    assert.match(r.stderr, /json: cannot unmarshal number into Go struct field ServiceSpec\.spec\.clusterIP of type string\n$/);
  });

  test('each object of a file on its own: the good one is created, the bad one reported', () => {
    const f = file(`apiVersion: v1\nkind: Service\nmetadata: {name: good}\nspec: {ports: [{port: 80}]}\n---\n${SVC}`);
    const r = c.run(['create', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'service/good created\n');
    assert.equal(r.stderr, SVC_ERR('creating', f));
  });
});

describe('warn: created without the unknown fields, one warning each', () => {
  test('create: the warnings come before the result, in decode order', () => {
    const c = fresh();
    const f = file(SVC);
    const r = c.run(['create', '-f', f, '--validate=warn']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'service/x created\n');
    assert.equal(r.stderr, 'Warning: unknown field "spec.ports[0].targetport"\nWarning: unknown field "spec.prots"\n');
    const svc = getJSON(c, 'svc', 'x');
    assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
    assert.equal(svc.spec.prots, undefined);
  });

  test('stdout and stderr interleave as kubectl writes them, and a warning is written once per command', () => {
    const c = fresh();
    const two = (name) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec: {ports: [{port: 80}], prots: 1}\n`;
    const f = file(`${two('a')}---\n${two('b')}---\napiVersion: v1\nkind: Service\nmetadata: {name: c, bogus: 1}\nspec: {ports: [{port: 80}]}\n`);
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" create -f "${f}" --validate=warn 2>&1`], {
      encoding: 'utf8',
      env: { ...process.env, KUBESIM_STATE: c.dir, KUBESIM_NOW: c.now, KUBESIM_SEED: 'strict', NO_COLOR: '1' },
    });
    assert.equal(r.status, 0);
    assert.equal(
      r.stdout,
      'Warning: unknown field "spec.prots"\nservice/a created\nservice/b created\nWarning: unknown field "metadata.bogus"\nservice/c created\n',
    );
  });

  test('a warned object that is then invalid: the warnings, then the error', () => {
    const c = fresh();
    const f = file('apiVersion: v1\nkind: Service\nmetadata: {name: Bad}\nspec: {ports: [{port: 80}], prots: 1}\n');
    const r = c.run(['create', '-f', f, '--validate=warn']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Warning: unknown field "spec\.prots"\nThe Service "Bad" is invalid: metadata\.name: Invalid value: "Bad": /);
  });
});

describe('ignore (or false): created silently without the unknown fields', () => {
  for (const flag of ['--validate=ignore', '--validate=false', '--validate=0', '--validate=F']) {
    test(flag, () => {
      const c = fresh();
      const f = file(SVC);
      const r = c.run(['create', '-f', f, flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'service/x created\n');
      assert.equal(r.stderr, '');
      const svc = getJSON(c, 'svc', 'x');
      assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
      assert.equal(svc.spec.prots, undefined);
    });
  }

  test('__proto__ is a key like any other: dropped, never a prototype', () => {
    const c = fresh();
    const f = file('apiVersion: v1\nkind: Service\nmetadata:\n  name: sneaky\n  __proto__:\n    namespace: kube-system\nspec:\n  ports:\n  - port: 80\n');
    assert.equal(c.run(['create', '-f', f]).stderr, `Error from server (BadRequest): error when creating "${f}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "metadata.__proto__"\n`);
    assert.equal(c.ok(['create', '-f', f, '--validate=false']), 'service/sneaky created\n');
    const o = getJSON(c, 'svc', 'sneaky', '-n', 'default');
    assert.equal(Object.hasOwn(o.metadata, '__proto__'), false);
    assert.equal(Object.getPrototypeOf(o.metadata), Object.prototype);
  });
});

describe('apply', () => {
  test('an object that does not exist yet is created: the create path\'s messages', () => {
    const c = fresh();
    const f = file(SVC);
    const before = stateSnapshot(c.dir);
    const r = c.run(['apply', '-f', f]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, SVC_ERR('creating', f));
    assert.deepEqual(stateSnapshot(c.dir), before);
    const w = c.run(['apply', '-f', f, '--validate=warn']);
    assert.equal(w.stdout, 'service/x created\n');
    assert.equal(w.stderr, 'Warning: unknown field "spec.ports[0].targetport"\nWarning: unknown field "spec.prots"\n');
    // what was applied is recorded as the user wrote it (kubectl builds the annotation), the object has none of it
    const svc = getJSON(c, 'svc', 'x');
    assert.match(svc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], /"prots":\[\{"port":80\}\]/);
    assert.equal(svc.spec.prots, undefined);
  });

  describe('an object that exists: kubectl sends a strategic merge patch', () => {
    const GOOD = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n';
    const BAD = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  portsX: 1\n  ports:\n  - port: 80\n    targetport: 8080\n';
    const setUp = () => {
      const c = fresh();
      assert.equal(c.ok(['apply', '-f', file(GOOD)]), 'service/web created\n');
      return c;
    };
    // the last-applied configuration kubectl would write for BAD
    const LAST = '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"ports":[{"port":80,"targetport":8080}],"portsX":1}}\n';

    test('strict: the patch handler\'s Invalid error, quoting the patch (%+v) and the unknown fields sorted by message', () => {
      const c = setUp();
      const f = file(BAD);
      const before = stateSnapshot(c.dir);
      const r = c.run(['apply', '-f', f]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      const quotedLast = LAST.replace(/"/g, '\\"').replace(/\n/g, '\\n');
      assert.equal(
        r.stderr,
        'The request is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:' +
          quotedLast +
          ']] spec:map[$setElementOrder/ports:[map[port:80]] ports:[map[port:80 targetport:8080]] portsX:1]]": strict decoding error: unknown field "spec.portsX", unknown field "spec.ports[0].targetport"\n',
      );
      assert.deepEqual(stateSnapshot(c.dir), before, 'the state is byte-identical');
    });

    test('strict, with another failure: each error in full, the patch one with kubectl\'s "error when applying patch" wrapper', () => {
      const c = setUp();
      const f = file(`${BAD}---\napiVersion: v1\nkind: Service\nmetadata: {name: other}\nspec: {prots: 1, ports: [{port: 80}]}\n`);
      const r = c.run(['apply', '-f', f]);
      assert.equal(r.code, 1);
      const [first, second] = r.stderr.split(/\n(?=Error from server)/);
      assert.equal(
        first,
        `Error from server (Invalid): error when applying patch:\n` +
          `{"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":${JSON.stringify(LAST)}}},"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetport":8080}],"portsX":1}}\n` +
          `to:\nResource: "/v1, Resource=services", GroupVersionKind: "/v1, Kind=Service"\nName: "web", Namespace: "default"\n` +
          `for: "${f}": error when patching "${f}":  "" is invalid: patch: Invalid value: "map[metadata:map[annotations:map[kubectl.kubernetes.io/last-applied-configuration:${LAST.replace(/"/g, '\\"').replace(/\n/g, '\\n')}]] spec:map[$setElementOrder/ports:[map[port:80]] ports:[map[port:80 targetport:8080]] portsX:1]]": strict decoding error: unknown field "spec.portsX", unknown field "spec.ports[0].targetport"`,
      );
      assert.equal(second, `Error from server (BadRequest): error when creating "${f}": Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec.prots"\n`);
    });

    test('warn: configured without the unknown fields, the warnings sorted by message', () => {
      const c = setUp();
      const r = c.run(['apply', '-f', file(BAD), '--validate=warn']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'service/web configured\n');
      assert.equal(r.stderr, 'Warning: unknown field "spec.portsX"\nWarning: unknown field "spec.ports[0].targetport"\n');
      const svc = getJSON(c, 'svc', 'web');
      assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
      assert.equal(svc.spec.portsX, undefined);
      assert.equal(svc.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], LAST);
    });

    test('ignore: configured silently; applied again, the patch still carries the fields the server dropped', () => {
      const c = setUp();
      const f = file(BAD);
      const r = c.run(['apply', '-f', f, '--validate=false']);
      assert.equal(r.stdout, 'service/web configured\n');
      assert.equal(r.stderr, '');
      assert.equal(getJSON(c, 'svc', 'web').spec.portsX, undefined);
      // again: the patch still has the dropped fields, so kubectl sends it and says "configured"
      assert.equal(c.ok(['apply', '-f', f, '--validate=false']), 'service/web configured\n');
      assert.equal(c.ok(['apply', '-f', file(GOOD)]), 'service/web configured\n');
      assert.equal(c.ok(['apply', '-f', file(GOOD)]), 'service/web unchanged\n');
      assert.equal(c.ok(['apply', '-f', f, '--validate=false']), 'service/web configured\n');
      // the same file again, strict: last-applied already has the fields, the live object does not
      const again = c.run(['apply', '-f', f]);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /^The request is invalid: patch: Invalid value: "map\[spec:map\[\$setElementOrder\/ports:\[map\[port:80\]\] ports:\[map\[port:80 targetport:8080\]\] portsX:1\]\]": strict decoding error: unknown field "spec\.portsX", unknown field "spec\.ports\[0\]\.targetport"\n$/);
    });
  });
});

describe('--validate\'s value', () => {
  const MSG = (v) => `error: invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)\n`;
  test('an unknown value is refused before anything is read or sent', () => {
    const c = fresh();
    const before = stateSnapshot(c.dir);
    for (const v of ['foo', '', 'Strict', 'WARN']) {
      for (const args of [['create', '-f', file(SVC)], ['apply', '-f', file(SVC)], ['create', '-f', join(files, 'nonexistent.yaml')], ['create', '-f', file(SVC), '-o', 'bogus']]) {
        const r = c.run([...args, `--validate=${v}`]);
        assert.equal(r.code, 1);
        assert.equal(r.stderr, MSG(v), args.join(' '));
      }
    }
    assert.equal(c.run(['create', 'namespace', 'n', '--validate=foo']).stderr, MSG('foo'));
    assert.equal(c.run(['create', 'deployment', 'd', '--image=nginx', '--validate=foo']).stderr, MSG('foo'));
    assert.equal(c.run(['create', 'service', 'clusterip', 's', '--tcp=80', '--validate=foo']).stderr, MSG('foo'));
    // --validate's value needs "=": a separate word is an argument, which create and apply refuse
    for (const verb of ['create', 'apply']) {
      const r = c.run([verb, '-f', file(SVC), '--validate', 'warn']);
      assert.equal(r.stderr, `error: Unexpected args: [warn]\nSee 'kubesim ${verb} -h' for help and examples\n`);
    }
    assert.equal(c.run(['apply', '-f', file(SVC), '--validate=foo', 'a', 'b']).stderr, "error: Unexpected args: [a b]\nSee 'kubesim apply -h' for help and examples\n");
    assert.deepEqual(stateSnapshot(c.dir), before);
    // the generators' own objects have no unknown fields: any valid value creates them
    assert.equal(c.ok(['create', 'deployment', 'd', '--image=nginx', '--validate=warn']), 'deployment.apps/d created\n');
  });

  test('the same messages as kubectl 1.32 (offline: the flag is checked before the server is asked)', (t) => {
    if (!hasKubectl()) return t.skip('kubectl is not installed: nothing to compare with');
    const c = fresh();
    const f = file(SVC);
    for (const [verb, v] of [['create', 'foo'], ['apply', 'foo'], ['create', ''], ['create', 'Strict'], ['apply', 'IGNORE']]) {
      const k = spawnSync('kubectl', [verb, '-f', f, `--validate=${v}`, '--dry-run=client', '-o', 'name'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: join(files, 'none') } });
      const ours = c.run([verb, '-f', f, `--validate=${v}`]);
      assert.equal(ours.stderr, k.stderr, `${verb} --validate=${v}`);
      assert.equal(ours.code, k.status);
    }
  });
});

describe('decoder units', () => {
  test('base64 of a []byte field: encoding/base64\'s error offsets (checked with Go 1.19)', () => {
    const go = { YWJj: undefined, YWJ: 0, 'YW==': undefined, 'Y===': 1, 'YWJj\nZA==': undefined, 'YW=j': 2, '!!!!': 0, YWJjZA: 4, 'YWJjZA=': 7, 'YWJjZA==x': 8, 'éé': 0, 'YW\r\nJj': undefined, Y: 0, YWJjZ: 4 };
    for (const [s, want] of Object.entries(go)) assert.equal(lib.base64Problem(s), want, JSON.stringify(s));
  });

  test('Go\'s printing: %v of decoded JSON, %q, and encoding/json (checked with Go 1.19)', () => {
    // a whole number the patch's JSON writes without a fraction or exponent is an int64 (PreserveInts)
    assert.equal(
      lib.goValue([1e6, 1.5, 123456.5, 1234567.5, 0.0001, 0.00001, 1e21, 1.25e-7, -2.5e30]),
      '[1000000 1.5 123456.5 1.2345675e+06 0.0001 1e-05 1e+21 1.25e-07 -2.5e+30]',
    );
    assert.equal(lib.goValue({ b: [{ port: 80 }], a: null, c: 'x y', d: true, '$setElementOrder/ports': [], e: {} }), 'map[$setElementOrder/ports:[] a:<nil> b:[map[port:80]] c:x y d:true e:map[]]');
    assert.equal(lib.goQuote('a"b\\c\n\t\x00\x7f\u00a0é\u2028\u{1F600} \x01\u200b'), '"a\\"b\\\\c\\n\\t\\x00\\x7f\\u00a0é\\u2028😀 \\x01\\u200b"');
    assert.equal(lib.goJSON({ b: '<&>', a: [1, 'x'] }), '{"a":[1,"x"],"b":"\\u003c\\u0026\\u003e"}');
  });

  test('decodeObject: unknown fields dropped in every mode, warnings only in Warn', () => {
    const obj = () => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', x: 1 }, data: { a: 'b' }, spec: {} });
    for (const mode of ['Strict', 'Warn', 'Ignore']) {
      const o = obj();
      const r = lib.decodeObject(o, mode);
      assert.deepEqual(o, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }, mode);
      assert.deepEqual(r.warnings, mode === 'Warn' ? ['unknown field "metadata.x"', 'unknown field "spec"'] : []);
      assert.equal(r.error, mode === 'Strict' ? 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "metadata.x", unknown field "spec"' : undefined);
    }
    // a Secret's data is []byte: base64, its error without a field's context
    assert.equal(lib.decodeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'YWJ' } }, 'Strict').error, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0');
    assert.equal(
      lib.decodeObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 5 } }, 'Strict').error,
      'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal number into Go struct field Secret.data of type []uint8',
    );
    // at most 100 strict errors
    const many = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } };
    for (let i = 0; i < 150; i++) many[`f${String(i).padStart(3, '0')}`] = i;
    assert.equal(lib.decodeObject(many, 'Warn').warnings.length, 100);
  });

  test('the generated schemas are what the generator makes from kubectl 1.32', (t) => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/gen-schemas.mjs'), '--check'], { encoding: 'utf8' });
    if (r.status === 2 || (r.status !== 0 && /command -v kubectl/.test(r.stderr))) return t.skip(`no kubectl 1.32 binary to read: ${r.stderr.split('\n')[0]}`);
    assert.equal(r.status, 0, r.stderr);
  });
});
