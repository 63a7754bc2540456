#!/usr/bin/env node
// Generates src/cluster/rbac-policy.json: the RBAC objects a kubeadm 1.32 cluster starts with, which
// cluster/rbacpolicy.ts creates at `cluster init` (and the `rbac-bootstrap-policy` upgrade adds to
// an older state). Its sources, checked in beside this script (scripts/rbac/):
//   cluster-roles.yaml, namespace-roles.yaml, namespace-role-bindings.yaml: kube-apiserver's bootstrap
//     policy as kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata has it
//     (the aggregated admin/edit/view with `rules: null`: the clusterrole aggregation controller
//     fills them, controllers/clusterroleaggregation.ts)
//   controller-roles.yaml, controller-role-bindings.yaml: the same testdata's system:controller:*
//     roles (those of kube-controller-manager's controllers enabled by default in 1.32)
//   cluster-role-bindings.yaml: bootstrappolicy.ClusterRoleBindings() of v1.32 (policy.go) in the
//     testdata's form
//   kubeadm.yaml: what kubeadm init adds (its header names the kubeadm sources)
//
//   node scripts/gen-rbac-policy.mjs [--check]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'src/cluster/rbac-policy.json');
const SOURCES = ['cluster-roles', 'controller-roles', 'cluster-role-bindings', 'controller-role-bindings', 'namespace-roles', 'namespace-role-bindings', 'kubeadm'];

/** the object as it is created: no creationTimestamp (the bootstrap sets it), no null fields */
function clean(o) {
  if (Array.isArray(o)) return o.map(clean);
  if (o && typeof o === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(o)) if (v !== null && k !== 'creationTimestamp') out[k] = clean(v);
    return out;
  }
  return o;
}

const policy = { ClusterRole: [], ClusterRoleBinding: [], Role: [], RoleBinding: [] };
for (const name of SOURCES) {
  const file = join(ROOT, 'scripts/rbac', `${name}.yaml`);
  if (!existsSync(file)) continue;
  for (const item of parse(readFileSync(file, 'utf8')).items) {
    const o = clean(item);
    o.apiVersion = 'rbac.authorization.k8s.io/v1';
    policy[o.kind].push(o);
  }
}
const text = `${JSON.stringify(policy)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(OUT, 'utf8') !== text) {
    console.error(`${OUT} is not what the generator makes: run node scripts/gen-rbac-policy.mjs`);
    process.exit(1);
  }
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}: ${Object.entries(policy).map(([k, v]) => `${v.length} ${k}`).join(', ')}`);
}
