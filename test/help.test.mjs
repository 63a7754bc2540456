// kubectl's --help layout (k8s.io/kubectl pkg/util/templates/templater.go) and the flag lists:
// kubesim's help against real kubectl's, run live (skipped with a reason when kubectl is absent).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, cluster, hasKubectl } from './helpers.mjs';

const require = createRequire(import.meta.url);
const lib = require('../dist/lib.cjs');
const texts = require('../src/cli/help/texts.json');
const KUBECTL = hasKubectl();
const memo = new Map();
/** each help is asked once: the two comparisons over every command share them */
const once = (key, f) => (memo.has(key) ? memo.get(key) : (memo.set(key, f()), memo.get(key)));
const kubectl = (args) => once(`kubectl ${args.join(' ')}`, () => spawnSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } }).stdout);
const helpOf = (path) => once(`kubesim ${path.join(' ')}`, () => c.ok(['help', ...path]));

/** flag names (without dashes) of a help text's Options section */
const flagNames = (help) => {
  const opts = help.split('\nOptions:\n')[1]?.split('\nUsage:\n')[0] ?? '';
  return [...opts.matchAll(/^    (?:-\S, )?--([^=]+)=.*:$/gm)].map((m) => m[1]);
};
const hidden = (c) => c._hidden === true;
/** every visible kubesim command below the root, as paths */
function kubesimCommands() {
  const program = lib.buildProgram(() => {}, []);
  const out = [];
  const walk = (cmd, path) => {
    for (const c of cmd.commands) {
      if (hidden(c)) continue;
      out.push({ path: [...path, c.name()], cmd: c });
      walk(c, [...path, c.name()]);
    }
  };
  walk(program, []);
  return { program, commands: out };
}

/** kubectl's help with only the flags kubesim lists, and kubesim's name in the usage line and footer */
function expected(kubectlHelp, keep) {
  const [head, rest] = kubectlHelp.split('\nOptions:\n');
  if (rest === undefined) return kubectlHelp.replace('\nUsage:\n  kubectl ', '\nUsage:\n  kubesim ').replace(/"kubectl ([^"]*)(options"|<command> --help")/g, '"kubesim $1$2');
  const [opts, tail] = rest.split('\nUsage:\n');
  const blocks = opts.split(/\n\n(?=    -)/).filter((b) => keep.includes(/--([^=]+)=/.exec(b)[1]));
  const options = blocks.length ? `\nOptions:\n${blocks.map((b) => b.replace(/\n+$/, '')).join('\n\n')}\n\n` : '\n';
  return `${head}${options}Usage:\n${tail}`.replace('\nUsage:\n  kubectl ', '\nUsage:\n  kubesim ').replace(/"kubectl ([^"]*)(options"|<command> --help")/g, '"kubesim $1$2');
}

/**
 * Flags kubesim accepts that kubectl 1.32 does not (divergences of the verbs, reported here rather
 * than hidden): expose's --port-name is the old generator's parameter, gone from kubectl's flags.
 */
/** kubesim's own help text replaces kubectl's for these (src/cli/help/own.ts) */
const OWN_TEXTS = ['completion'];
const KNOWN_EXTRA = { expose: ['port-name'] };

const c = cluster();

test('--help, -h and help VERB print the same help in kubectl layout', () => {
  const a = c.ok(['create', 'deployment', '--help']);
  assert.equal(c.ok(['create', 'deploy', '-h']), a);
  assert.equal(c.ok(['help', 'create', 'deployment']), a);
  assert.match(a, /^Create a deployment with the specified name\.\n\nAliases:\ndeployment, deploy\n\nExamples:\n  # Create a deployment named my-dep/);
  assert.match(a, /\nUsage:\n  kubesim create deployment NAME --image=image -- \[COMMAND\] \[args\.\.\.\] \[options\]\n\nUse "kubesim options" for a list of global command-line options \(applies to all commands\)\.\n$/);
});

/**
 * Help that differs from kubectl's beyond kubesim's missing flags (reported, not hidden): expose has
 * a --port-name kubectl does not; explain's --output has no -o shorthand in kubesim.
 */
const KNOWN_DIFFERENT = new Set(['expose', 'explain']);

test('help of every kubectl verb and subcommand kubesim has equals kubectl\'s, less the flags kubesim does not have', { skip: !KUBECTL && 'kubectl is not on PATH' }, () => {
  let compared = 0;
  const skipped = [];
  for (const { path, cmd } of kubesimCommands().commands) {
    const key = path.join(' ');
    const k = texts.commands[key];
    if (!k || OWN_TEXTS.includes(key) || KNOWN_DIFFERENT.has(key)) continue;
    // a group kubesim has only some subcommands of: its listing differs, by design
    const theirs = k.commands.flatMap(([, l]) => l.map(([n]) => n));
    if (theirs.some((n) => !cmd.commands.some((s) => s.name() === n))) {
      skipped.push(key);
      continue;
    }
    const mine = helpOf(path);
    assert.equal(mine, expected(kubectl([...path, '--help']), flagNames(mine)), key);
    compared++;
  }
  assert.ok(compared > 35, `compared ${compared}`);
  console.log(`# help equal to kubectl's for ${compared} commands; groups with only some of kubectl's subcommands: ${skipped.join(', ')}`);
});

test('Options lists exactly the flags kubesim accepts, and none kubectl lacks (kubesim\'s missing flags are listed)', { skip: !KUBECTL && 'kubectl is not on PATH' }, () => {
  const { commands } = kubesimCommands();
  const missing = [];
  let compared = 0;
  for (const { path, cmd } of commands) {
    const key = path.join(' ');
    const mine = helpOf(path);
    const listed = flagNames(mine);
    const accepted = cmd.options.filter((o) => o.long && !o.hidden).map((o) => o.long.slice(2));
    assert.deepEqual([...listed].sort(), [...accepted].sort(), `${key}: Options must list the flags kubesim accepts`);
    if (!texts.commands[key]) continue; // kubesim's own command (cluster, curl, ssh, ip, node)
    compared++;
    const theirs = flagNames(kubectl([...path, '--help']));
    const extra = listed.filter((f) => !theirs.includes(f) && !(KNOWN_EXTRA[key] ?? []).includes(f));
    assert.deepEqual(extra, [], `${key}: kubesim lists flags kubectl does not have`);
    const lacking = theirs.filter((f) => !listed.includes(f));
    if (lacking.length) missing.push(`${key}: ${lacking.map((f) => `--${f}`).join(' ')}`);
  }
  assert.ok(compared > 30, `compared ${compared} commands`);
  console.log(`# kubectl flags kubesim does not have (${compared} commands compared):\n${missing.map((m) => `#   ${m}`).join('\n')}`);
});

test('kubesim options lists the global flags with kubectl\'s words', () => {
  const out = c.ok(['options']);
  assert.match(out, /^The following options can be passed to any command:\n\n/);
  assert.match(out, /\n    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n\n/);
  assert.match(out, /\n    --state='':\n/);
});

test('kubesim\'s own commands have help in the same layout', () => {
  for (const path of [['cluster'], ['cluster', 'init'], ['node', 'stop'], ['ip']]) {
    const out = c.ok(['help', ...path]);
    assert.match(out, /\n\nExamples:\n  # /, path.join(' '));
    assert.match(out, /\nUsage:\n  kubesim /, path.join(' '));
    assert.match(out, /Use "kubesim options" for a list of global command-line options \(applies to all commands\)\.\n$/);
  }
  assert.match(c.ok(['--help']), /\nSimulator Commands \(kubesim only\):\n  cluster  /);
});

test.after(() => c.cleanup());

/** cobra's completion test style: source the script, set COMP_WORDS, call the function, print COMPREPLY */
function bash(line, { alias = false, env = {} } = {}) {
  const words = line.split(' ');
  const script = `source <(kubesim completion bash)
${alias ? 'alias kubectl=kubesim; complete -o default -F __start_kubesim kubectl; complete -p kubectl' : ''}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
__start_kubesim ${words[0]} '${words[words.length - 1]}' '${words[words.length - 2] ?? ''}'; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dirname(BIN)}:${process.env.PATH}`, KUBESIM_STATE: c.dir, ...env } });
  return r.stdout.split('\n').filter(Boolean);
}
const HAS_BASH = spawnSync('bash', ['--version']).status === 0;

test('bash completion through the alias: complete -o default -F __start_kubesim kubectl', { skip: !HAS_BASH && 'bash is not installed' }, () => {
  c.ok(['cluster', 'init']);
  const out = bash('kubectl get -o ', { alias: true });
  assert.equal(out[0], 'complete -o default -F __start_kubesim kubectl');
  // kubectl get's -o formats (its flag description, as `kubectl __complete get -o ""` answers)
  assert.deepEqual(out.slice(1), ['json', 'yaml', 'name', 'go-template', 'go-template-file', 'template', 'templatefile', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file', 'custom-columns', 'custom-columns-file', 'wide']);
  assert.deepEqual(bash('kubectl create deployment web -o j', { alias: true }).slice(1), ['json', 'jsonpath', 'jsonpath-as-json', 'jsonpath-file']);
  assert.deepEqual(bash('kubectl get pods -n kube-', { alias: true }).slice(1), ['kube-node-lease', 'kube-public', 'kube-system']);
  assert.deepEqual(bash('kubectl -n kube-system get svc ', { alias: true }).slice(1), ['kube-dns']);
  assert.deepEqual(bash('kubectl get --namespace=kube-system deploy ', { alias: true }).slice(1), ['coredns']);
  assert.deepEqual(bash('kubectl des', { alias: true }).slice(1), ['describe']);
  // "--output=" as bash splits it at "=" (COMP_WORDBREAKS)
  assert.deepEqual(bash('kubectl get --output = y', { alias: true }).slice(1), ['yaml']);
  assert.equal(bash('kubectl get --output =', { alias: true }).length, 14);
  assert.deepEqual(bash('kubectl get pods -n = kube-p', { alias: true }).slice(1), ['kube-public']);
});

test('bash completion of flags and of --context from kubesim\'s kubeconfig', { skip: !HAS_BASH && 'bash is not installed' }, () => {
  assert.deepEqual(bash('kubesim scale --rep'), ['--replicas']);
  assert.deepEqual(bash('kubesim get pods --all-n'), ['--all-namespaces']);
  assert.ok(bash('kubesim get -').includes('-o'));
  assert.ok(bash('kubesim get --').includes('--show-labels'));
  const cfg = join(c.dir, 'kubeconfig');
  writeFileSync(cfg, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: dev\n  context: {cluster: a, namespace: dev}\n- name: prod\n  context: {cluster: b}\ncurrent-context: dev\n');
  assert.deepEqual(bash('kubesim get pods --context ', { env: { KUBESIM_CONFIG: cfg } }), ['dev', 'prod']);
  assert.deepEqual(bash('kubesim get pods --context ', { env: { KUBESIM_CONFIG: join(c.dir, 'none') } }), []);
});

test('completion --help: kubectl\'s install steps for kubesim, with the alias', () => {
  const out = c.ok(['completion', '--help']);
  assert.match(out, /^Output shell completion code for the specified shell \(bash, zsh, or fish\)\./);
  assert.match(out, /\n  source <\(kubesim completion bash\)\n/);
  assert.match(out, /\n  complete -o default -F __start_kubesim kubectl\n/);
  assert.match(out, /\nUsage:\n  kubesim completion SHELL \[options\]\n/);
});

test('kubesim alone prints the help on stdout, exit 0; help of an unknown topic is cobra\'s message and the usage on stderr', () => {
  const alone = c.run([]);
  assert.deepEqual([alone.code, alone.stderr], [0, '']);
  assert.equal(alone.stdout, c.ok(['--help']));
  const r = c.run(['help', 'foo', 'bar']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^Unknown help topic \[`foo` `bar`\]\n\n\nBasic Commands \(Beginner\):\n  create  /);
  assert.ok(r.stderr.endsWith(c.ok(['--help']).split('\nUsage:\n')[1]));
});

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
/** a command's output on a terminal of `cols` columns (util-linux script(1)) */
const onTerminal = (cmd, cols) => spawnSync('script', ['-qc', `stty cols ${cols} rows 40; ${cmd}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null', KUBESIM_STATE: c.dir } }).stdout.replace(/\r/g, '');

test('on a terminal, help wraps as kubectl\'s does at 120, 100 and 80 columns', { skip: (!KUBECTL && 'kubectl is not on PATH') || (!HAS_SCRIPT && 'script(1) is not installed') }, () => {
  for (const cols of [120, 100, 80]) {
    for (const path of [['create', 'deployment'], ['get'], ['rollout', 'status']]) {
      const mine = onTerminal(`${BIN} ${path.join(' ')} --help`, cols);
      assert.equal(mine, expected(onTerminal(`kubectl ${path.join(' ')} --help`, cols), flagNames(mine)), `${cols} ${path.join(' ')}`);
    }
  }
  assert.equal(onTerminal(`${BIN} get --help`, 60), c.ok(['get', '--help']), 'below 80 columns: no wrapping');
});
