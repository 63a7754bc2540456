// kubectl diff (pkg/cmd/diff/diff.go): each object of -f as it is live against what apply would make
// of it (the apply patcher's three-way strategic merge patch, sent as a server dry run; a server
// dry-run create for an object that does not exist), printed as YAML into the files
// <group.>version.Kind.namespace.name of two temp dirs LIVE-<n> and MERGED-<n>, then `diff -u -N` of
// the dirs (computed here) or $KUBECTL_EXTERNAL_DIFF run on them. Exit 0: no differences, 1: some,
// >1: an error (CheckDiffErr adds one to kubectl's exit code).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { schemaOf } from '../api/decode';
import type { KObject } from '../api/types';
import { clone } from '../util/compare';
import { nowMs } from '../util/clock';
import { Rand } from '../util/rand';
import { unifiedHunks } from '../util/unidiff';
import { toYAML } from '../printers/output';
import { threeWayPatch } from './apply-patch';
import { mutateApi, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import { readManifests, requireName } from './resource/files';
import { mappingFor, placeObject } from './resource/objects';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

interface DiffOptions {
  filename?: string[];
  recursive?: boolean;
}

/** The printed form of a version: metadata.managedFields left out (--show-managed-fields=false). */
function printed(obj: KObject | undefined): string {
  if (!obj) return '';
  const o = clone(obj);
  delete (o.metadata as Record<string, unknown>).managedFields;
  return toYAML(o);
}

/**
 * GetModifiedConfiguration(obj, annotate=false): the manifest without the last-applied annotation,
 * its annotations an empty map when it had none (SetAnnotations of a non-nil map), as in the
 * annotation apply recorded.
 */
function modifiedOf(obj: KObject): Record<string, unknown> {
  const m = clone(obj) as unknown as { metadata: { annotations?: Record<string, string> } };
  m.metadata.annotations = { ...(m.metadata.annotations ?? {}) };
  delete m.metadata.annotations[LAST_APPLIED];
  return m as unknown as Record<string, unknown>;
}

/**
 * The Masker: a Secret's data values never reach the diff; "***" each, "*** (before)" and
 * "*** (after)" for a key whose value changes.
 */
function maskSecrets(live: KObject | undefined, merged: KObject): [KObject | undefined, KObject] {
  const from = live && clone(live);
  const to = clone(merged);
  const f = from?.data as Record<string, string> | undefined;
  const t = to.data as Record<string, string> | undefined;
  for (const k of Object.keys(f ?? {})) {
    if (t && Object.hasOwn(t, k)) {
      if (f![k] !== t[k]) {
        f![k] = '*** (before)';
        t[k] = '*** (after)';
        continue;
      }
      t[k] = '***';
    }
    f![k] = '***';
  }
  for (const k of Object.keys(t ?? {})) if (!f || !Object.hasOwn(f, k)) t![k] = '***';
  return [from, to];
}

export function runDiff(g: GlobalOptions, o: DiffOptions): Outcome {
  try {
    return diff(g, o);
  } catch (e) {
    // CheckDiffErr: kubectl's own errors exit 2
    return { stdout: '', errors: [e], code: 2 };
  }
}

function diff(g: GlobalOptions, o: DiffOptions): Outcome {
  if (!o.filename?.length) throw new CliError('error: must specify one of -f and -k', true);
  const { objects, errors } = readManifests(o.filename, !!o.recursive);
  if (errors.length) throw errors[0].error;
  const files: { name: string; live: string; merged: string }[] = [];
  mutateApi(
    g,
    (api) => {
      for (const item of objects) {
        const res = mappingFor(item.obj, item.source);
        placeObject(g, res, item.obj);
        const name = requireName(item);
        const ns = res.namespaced ? item.obj.metadata.namespace : undefined;
        const live = api.find(res, ns, name);
        let merged: KObject;
        if (!live) {
          // a dry-run create is never stored: it gets no resourceVersion
          merged = clone(api.create(clone(item.obj)));
          delete merged.metadata.resourceVersion;
        }
        else {
          let last: unknown = {};
          try {
            last = JSON.parse(live.metadata.annotations?.[LAST_APPLIED] ?? 'null');
          } catch {
            last = null;
          }
          const patch = threeWayPatch(last, modifiedOf(item.obj), clone(live) as unknown as Record<string, unknown>, schemaOf(res.kind, item.obj.apiVersion));
          merged = clone(api.patch(res, ns, name, 'strategic', patch).obj);
          // a dry run stores nothing: the answer keeps the stored resourceVersion
          merged.metadata.resourceVersion = live.metadata.resourceVersion;
        }
        if (item.obj.apiVersion === 'v1' && item.obj.kind === 'Secret') {
          const [from, to] = maskSecrets(live, merged);
          files.push({ name: `v1.Secret.${ns ?? ''}.${name}`, live: printed(from), merged: printed(to) });
          continue;
        }
        const [group, version] = item.obj.apiVersion.includes('/') ? item.obj.apiVersion.split('/') : ['', item.obj.apiVersion];
        files.push({ name: `${group ? `${group}.` : ''}${version}.${item.obj.kind}.${ns ?? ''}.${name}`, live: printed(live), merged: printed(merged) });
      }
    },
    true,
  );
  const seed = process.env.KUBESIM_SEED;
  const rand = seed ? Rand.fromSeed(`${seed}:diff`) : Rand.fromSeed(`${process.pid}:${Date.now()}`);
  const tmp = os.tmpdir();
  const liveDir = path.join(tmp, `LIVE-${rand.next()}`);
  const mergedDir = path.join(tmp, `MERGED-${rand.next()}`);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const external = process.env.KUBECTL_EXTERNAL_DIFF;
  if (external) return runExternal(external, liveDir, mergedDir, files);
  let stdout = '';
  const stamp = diffTime(nowMs());
  for (const f of files) {
    const hunks = unifiedHunks(f.live, f.merged);
    if (!hunks) continue;
    const a = path.join(liveDir, f.name);
    const b = path.join(mergedDir, f.name);
    stdout += `diff -u -N ${a} ${b}\n--- ${a}\t${stamp}\n+++ ${b}\t${stamp}\n${hunks}`;
  }
  return { stdout, code: stdout ? 1 : 0 };
}

/** The program of KUBECTL_EXTERNAL_DIFF on the two dirs; its extra words only when [a-zA-Z0-9-=]+. */
function runExternal(external: string, liveDir: string, mergedDir: string, files: { name: string; live: string; merged: string }[]): Outcome {
  fs.mkdirSync(liveDir, { recursive: true });
  fs.mkdirSync(mergedDir, { recursive: true });
  try {
    for (const f of files) {
      fs.writeFileSync(path.join(liveDir, f.name), f.live, { mode: 0o700 });
      fs.writeFileSync(path.join(mergedDir, f.name), f.merged, { mode: 0o700 });
    }
    const [prog, ...rest] = external.split(' ');
    const args = rest.filter((a) => /^[a-zA-Z0-9-=]+$/.test(a));
    const r = spawnSync(prog, [...args, liveDir, mergedDir], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.error) throw new CliError(`error: failed to run "${prog}": exec: "${prog}": executable file not found in $PATH`, true);
    return { stdout: '', code: r.status ?? 1 };
  } finally {
    fs.rmSync(liveDir, { recursive: true, force: true });
    fs.rmSync(mergedDir, { recursive: true, force: true });
  }
}

/** GNU diff's file time: %Y-%m-%d %H:%M:%S.%N %z, in local time. */
function diffTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const z = `${off >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}${p(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000000 ${z}`;
}

export function registerDiff(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('diff')
    .description('Diff the live version against a would-be applied version')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files contains the configuration to diff', (v: string, prev: string[] = []) => [...prev, v])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .action((opts: DiffOptions) => run(() => runDiff(g(), opts)));
}
