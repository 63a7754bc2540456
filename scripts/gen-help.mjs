// Records real kubectl's `--help` for every verb and subcommand (kubectl 1.32 prints help offline)
// into src/cli/help/texts.json: each command's Short (from its parent's listing), Long, Aliases,
// Examples, Usage line, subcommands and flags, plus `kubectl options`. kubesim's help renderer
// (src/cli/help/render.ts) lays these out as kubectl's templater does (k8s.io/kubectl
// pkg/util/templates/templater.go). Verbs kubesim does not have yet are recorded too, so a verb that
// lands later gets its help. Run: node scripts/gen-help.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const kubectl = (args) => execFileSync('kubectl', args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: '/dev/null' } });
const SECTIONS = new Set(['Aliases:', 'Examples:', 'Available Commands:', 'Options:', 'Usage:']);

/** `    -o, --output='':` + `\tdescription` blocks → [shorthand, name, default, description] */
function parseFlags(lines) {
  const flags = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^    (?:-(\S), )?--([^=]+)=(.*):$/.exec(lines[i]);
    if (!m) continue;
    const desc = [];
    while (i + 1 < lines.length && lines[i + 1].startsWith('\t')) desc.push(lines[++i].slice(1));
    flags.push([m[1] ?? '', m[2], m[3], desc.join('\n')]);
  }
  return flags;
}

/** `  name    Short` lines of a command listing */
function parseListing(lines) {
  return lines.map((l) => /^  (\S+)\s+(.*)$/.exec(l)).filter(Boolean).map((m) => [m[1], m[2]]);
}

function parse(text) {
  const lines = text.replace(/\n$/, '').split('\n');
  const sections = { '': [] };
  let cur = '';
  for (const l of lines) {
    if (SECTIONS.has(l) || (cur !== 'Examples:' && /^[A-Z][A-Za-z ()]+ Commands( \([A-Za-z]+\))?:$/.test(l))) {
      cur = l;
      sections[cur] = [];
    } else sections[cur].push(l);
  }
  const trim = (a) => {
    const b = [...(a ?? [])];
    while (b.length && b[b.length - 1].trim() === '') b.pop();
    return b;
  };
  // the usage lines end at the first blank line (the footer follows)
  const u = sections['Usage:'] ?? [];
  const usage = u.slice(0, u.indexOf('') < 0 ? u.length : u.indexOf('')).map((l) => l.trim());
  const commands = Object.entries(sections)
    .filter(([k]) => k === 'Available Commands:' || / Commands( \(.*\))?:$/.test(k))
    .map(([k, v]) => [k.slice(0, -1), parseListing(trim(v))]);
  return {
    long: trim(sections['']).join('\n'),
    aliases: trim(sections['Aliases:']).join(' ').split(/,\s*/).filter(Boolean),
    examples: trim(sections['Examples:']).join('\n'),
    usage: usage.join('\n'),
    commands,
    flags: parseFlags(trim(sections['Options:'])),
  };
}

const out = { version: kubectl(['version', '--client']).split('\n')[0], commands: {} };
const queue = [[[], '']];
while (queue.length) {
  const [path, short] = queue.shift();
  const h = parse(kubectl([...path, '--help']));
  out.commands[path.join(' ')] = { short, ...h };
  for (const [, list] of h.commands) for (const [name, s] of list) if (name !== 'help') queue.push([[...path, name], s]);
}
const opts = kubectl(['options']).replace(/\n$/, '').split('\n');
out.options = { long: opts[0], flags: parseFlags(opts.slice(1)) };
writeFileSync(new URL('../src/cli/help/texts.json', import.meta.url), JSON.stringify(out, null, 0) + '\n');
console.log(`${Object.keys(out.commands).length} commands`);
