// kubesim addons list | enable ingress | disable ingress: minikube's addon commands, as its users
// type them, for the addons kubesim simulates (kubernetes/minikube cmd/minikube/cmd/config/
// enable.go, disable.go, addons_list.go print these lines). The objects come from src/cluster/ingress.ts.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { mutate, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';
import type { State } from '../store/state';

/* eslint-disable @typescript-eslint/no-require-imports */
const ingress = (): typeof import('../cluster/ingress') => require('../cluster/ingress');
/* eslint-enable @typescript-eslint/no-require-imports */

const SIMULATED = ['ingress'];

function checkName(name: string): void {
  if (!SIMULATED.includes(name)) throw new CliError(`error: kubesim simulates the ingress addon only, not "${name}"`, true);
}

function record(state: State, name: string, on: boolean): void {
  const cfg = state.cluster.config;
  const set = new Set(cfg.addons ?? []);
  if (on) set.add(name);
  else set.delete(name);
  cfg.addons = [...set].sort();
  if (!cfg.addons.length) delete cfg.addons;
  state.touch();
}

function enable(g: GlobalOptions, name: string): Outcome {
  checkName(name);
  mutate(g, (state) => {
    ingress().installIngress(state);
    record(state, name, true);
  });
  const tag = (image: string) => image.replace(/@sha256:.*$/, '');
  const i = ingress();
  return {
    stdout:
      '💡  ingress is an addon maintained by Kubernetes. For any concerns contact minikube on GitHub.\n' +
      'You can view the list of minikube maintainers at: https://github.com/kubernetes/minikube/blob/master/OWNERS\n' +
      `    ▪ Using image ${tag(i.CONTROLLER_IMAGE)}\n    ▪ Using image ${tag(i.CERTGEN_IMAGE)}\n    ▪ Using image ${tag(i.CERTGEN_IMAGE)}\n` +
      '🔎  Verifying ingress addon...\n' +
      "🌟  The 'ingress' addon is enabled\n",
  };
}

function disable(g: GlobalOptions, name: string): Outcome {
  checkName(name);
  mutate(g, (state) => {
    ingress().uninstallIngress(state);
    record(state, name, false);
  });
  return { stdout: `🌑  "The '${name}' addon is disabled"\n` };
}

/** minikube's table (olekukonko/tablewriter with borders) for the addons kubesim has. */
function list(g: GlobalOptions): Outcome {
  const state = openRead(g);
  const profile = state.config.name;
  const on = (b: boolean) => (b ? 'enabled ✅' : 'disabled');
  const rows = [
    ['default-storageclass', profile, on(true), 'Kubernetes'],
    ['ingress', profile, on(ingress().ingressInstalled(state)), 'Kubernetes'],
    ['storage-provisioner', profile, on(true), 'minikube'],
  ];
  const head = ['ADDON NAME', 'PROFILE', 'STATUS', 'MAINTAINER'];
  const width = (s: string) => [...s].length + (s.includes('✅') ? 1 : 0); // the emoji takes two columns
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))) + 2);
  const line = '|' + w.map((n) => '-'.repeat(n)).join('|') + '|\n';
  const center = (s: string, n: number) => {
    const left = Math.floor((n - width(s)) / 2);
    return ' '.repeat(left) + s + ' '.repeat(n - width(s) - left);
  };
  const row = (r: string[]) => '|' + r.map((c, i) => ` ${c}${' '.repeat(w[i] - width(c) - 1)}`).join('|') + '|\n';
  return { stdout: line + '|' + head.map((h, i) => center(h, w[i])).join('|') + '|\n' + line + rows.map(row).join('') + line };
}

export function registerAddons(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const addons = program.command('addons').description('Enable, disable and list cluster addons, as minikube does (kubesim only)');
  addons
    .command('list')
    .description('List the addons and whether they are enabled')
    .action(() => run(() => list(g())));
  addons
    .command('enable <name>')
    .description('Enable an addon (ingress: the ingress-nginx controller)')
    .action((name: string) => run(() => enable(g(), name)));
  addons
    .command('disable <name>')
    .description('Disable an addon')
    .action((name: string) => run(() => disable(g(), name)));
}
