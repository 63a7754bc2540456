// minikube's ingress addon (kubernetes/minikube deploy/addons/ingress/ingress-deploy.yaml.tmpl,
// images pinned in pkg/minikube/assets/addons.go for Kubernetes 1.32: controller v1.11.3,
// kube-webhook-certgen v1.4.4): the ingress-nginx namespace, its ServiceAccounts, ConfigMaps, the
// controller Deployment (hostPorts 80/443 on the primary node), its NodePort Service (LoadBalancer
// when the cluster has a load-balancer pool), the admission Service, the two admission Jobs and the
// default IngressClass `nginx`. The RBAC objects are made when the cluster knows their kinds.
// `cluster init --ingress nginx` and `addons enable ingress` call installIngress; `addons disable
// ingress` uninstallIngress.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { createObject, deleteObject } from '../apiserver/registry';
import { keepImage } from '../controllers/kubelet/imagestore';
import { resourceByKind } from '../api/resources';

export const INGRESS_NS = 'ingress-nginx';
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.3@sha256:d56f135b6462cfc476447cfe564b83a45e8bb7da2774963b00d12161112270b7';
export const CERTGEN_IMAGE = 'registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.4.4@sha256:a9f03b34a3cbfbb26d103a14046ab2c5130a80c3d69d526ff8063d2b37b9fd3f';
/** minikube labels its first node so; the addon's pods select it */
export const PRIMARY_LABEL = 'minikube.k8s.io/primary';

const base = { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
const ctrl = { 'app.kubernetes.io/component': 'controller', ...base };
const adm = { 'app.kubernetes.io/component': 'admission-webhook', ...base };

function known(kind: string): boolean {
  try {
    return !!resourceByKind(kind);
  } catch {
    return false;
  }
}

/**
 * minikube's primary node is its control plane, the address `minikube ip` (and `kubesim ip`)
 * prints, so `curl --resolve host:80:$(kubesim ip)` reaches the controller's hostPort as the
 * minikube tutorials do. kubesim's control plane carries kubeadm's NoSchedule taint, which
 * minikube's does not: the addon's pods then tolerate it.
 */
function primaryNode(state: State): { name: string; tainted: boolean } {
  const nodes = state.list('Node');
  const labelled = nodes.find((n) => n.metadata.labels?.[PRIMARY_LABEL] === 'true');
  const pick = labelled ?? nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined) ?? nodes[0];
  return { name: pick.metadata.name, tainted: (pick.spec?.taints ?? []).some((t: { effect: string }) => t.effect === 'NoSchedule') };
}

function jobOf(name: 'create' | 'patch', args: string[], extra: Record<string, unknown>): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { labels: { ...adm }, name: `ingress-nginx-admission-${name}`, namespace: INGRESS_NS },
    spec: {
      template: {
        metadata: { labels: { ...adm }, name: `ingress-nginx-admission-${name}` },
        spec: {
          containers: [
            {
              args,
              env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
              image: CERTGEN_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              name,
              securityContext: { allowPrivilegeEscalation: false },
            },
          ],
          nodeSelector: { [PRIMARY_LABEL]: 'true', 'kubernetes.io/os': 'linux' },
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 2000 },
          serviceAccountName: 'ingress-nginx-admission',
          ...extra,
        },
      },
    },
  };
}

/** A PEM block of stand-in bytes (the certgen's self-signed CA and serving certificate). */
function pem(kind: string, seed: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createHash } = require('crypto') as typeof import('crypto');
  let body = '';
  for (let i = 0; body.length < 600; i++) body += createHash('sha256').update(`${seed}/${kind}/${i}`).digest('base64');
  return `-----BEGIN ${kind}-----\n${(body.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${kind}-----\n`;
}

export function ingressInstalled(state: State): boolean {
  return !!state.get('Deployment', INGRESS_NS, 'ingress-nginx-controller');
}

/** Makes the addon's objects (idempotent: what exists is left alone). */
export function installIngress(state: State): void {
  const primary = primaryNode(state);
  const node = state.get('Node', undefined, primary.name) as KObject;
  if (node.metadata.labels?.[PRIMARY_LABEL] !== 'true') {
    const n = JSON.parse(JSON.stringify(node));
    n.metadata.labels = { ...n.metadata.labels, [PRIMARY_LABEL]: 'true' };
    state.replace(n);
  }
  const tolerations = [{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/master', operator: 'Equal' }];
  if (primary.tainted) tolerations.push({ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' } as (typeof tolerations)[0]);
  const objects: KObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { ...base }, name: INGRESS_NS } },
    { apiVersion: 'v1', kind: 'ServiceAccount', automountServiceAccountToken: true, metadata: { labels: { ...ctrl }, name: 'ingress-nginx', namespace: INGRESS_NS } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { labels: { ...adm }, name: 'ingress-nginx-admission', namespace: INGRESS_NS } },
    { apiVersion: 'v1', kind: 'ConfigMap', data: { hsts: 'false' }, metadata: { labels: { ...ctrl }, name: 'ingress-nginx-controller', namespace: INGRESS_NS } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tcp-services', namespace: INGRESS_NS, labels: { ...base, 'app.kubernetes.io/component': 'controller' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'udp-services', namespace: INGRESS_NS, labels: { ...base, 'app.kubernetes.io/component': 'controller' } } },
    // what the admission-create Job's certgen writes: the webhook's CA and serving certificate
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'ingress-nginx-admission', namespace: INGRESS_NS },
      data: {
        ca: Buffer.from(pem('CERTIFICATE', `${state.config.seed}/ingress-ca`)).toString('base64'),
        cert: Buffer.from(pem('CERTIFICATE', `${state.config.seed}/ingress-cert`)).toString('base64'),
        key: Buffer.from(pem('EC PRIVATE KEY', `${state.config.seed}/ingress-key`)).toString('base64'),
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: { ...ctrl }, name: 'ingress-nginx-controller', namespace: INGRESS_NS },
      spec: {
        ipFamilies: ['IPv4'],
        ipFamilyPolicy: 'SingleStack',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
        ],
        selector: { ...ctrl },
        // minikube's NodePort; with a pool of addresses, as the cloud manifests have it, LoadBalancer
        type: state.config.lbPool ? 'LoadBalancer' : 'NodePort',
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: { ...ctrl }, name: 'ingress-nginx-controller-admission', namespace: INGRESS_NS },
      spec: { ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook', appProtocol: 'https' }], selector: { ...ctrl }, type: 'ClusterIP' },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { labels: { ...ctrl }, name: 'ingress-nginx-controller', namespace: INGRESS_NS },
      spec: {
        minReadySeconds: 0,
        revisionHistoryLimit: 10,
        selector: { matchLabels: { ...ctrl } },
        strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
        template: {
          metadata: { labels: { ...ctrl, 'gcp-auth-skip-secret': 'true' } },
          spec: {
            containers: [
              {
                args: [
                  '/nginx-ingress-controller',
                  '--election-id=ingress-nginx-leader',
                  '--controller-class=k8s.io/ingress-nginx',
                  '--watch-ingress-without-class=true',
                  '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
                  '--tcp-services-configmap=$(POD_NAMESPACE)/tcp-services',
                  '--udp-services-configmap=$(POD_NAMESPACE)/udp-services',
                  '--validating-webhook=:8443',
                  '--validating-webhook-certificate=/usr/local/certificates/cert',
                  '--validating-webhook-key=/usr/local/certificates/key',
                  // the cloud manifests' LoadBalancer install publishes the Service's address in the Ingresses' status
                  ...(state.config.lbPool ? ['--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller'] : []),
                ],
                env: [
                  { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                  { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
                ],
                image: CONTROLLER_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
                livenessProbe: { failureThreshold: 5, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
                name: 'controller',
                ports: [
                  { containerPort: 80, hostPort: 80, name: 'http', protocol: 'TCP' },
                  { containerPort: 443, hostPort: 443, name: 'https', protocol: 'TCP' },
                  { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
                ],
                readinessProbe: { failureThreshold: 3, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
                resources: { requests: { cpu: '100m', memory: '90Mi' } },
                securityContext: { allowPrivilegeEscalation: true, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, runAsUser: 101 },
                volumeMounts: [{ mountPath: '/usr/local/certificates/', name: 'webhook-cert', readOnly: true }],
              },
            ],
            dnsPolicy: 'ClusterFirst',
            nodeSelector: { [PRIMARY_LABEL]: 'true', 'kubernetes.io/os': 'linux' },
            serviceAccountName: 'ingress-nginx',
            terminationGracePeriodSeconds: 0,
            tolerations,
            volumes: [{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }],
          },
        },
      },
    },
    jobOf('create', ['create', '--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc', '--namespace=$(POD_NAMESPACE)', '--secret-name=ingress-nginx-admission'], primary.tainted ? { tolerations } : {}),
    jobOf('patch', ['patch', '--webhook-name=ingress-nginx-admission', '--namespace=$(POD_NAMESPACE)', '--patch-mutating=false', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail'], primary.tainted ? { tolerations } : {}),
  ];
  if (known('IngressClass')) {
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' }, labels: { ...ctrl }, name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
  }
  if (known('Role') && known('ClusterRole') && known('RoleBinding') && known('ClusterRoleBinding')) objects.push(...rbac());
  for (const o of objects) {
    const ns = o.metadata.namespace;
    if (state.get(o.kind, ns, o.metadata.name)) continue;
    createObject(state, o);
  }
  // the images are pulled while the addon is enabled ("Using image …"): its pods start at once
  for (const image of [CONTROLLER_IMAGE, CERTGEN_IMAGE]) keepImage(state, primary.name, image);
}

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({ apiGroups, ...(resourceNames ? { resourceNames } : {}), resources, verbs });
const GLW = ['get', 'list', 'watch'];

/** The addon's Roles, ClusterRoles and their bindings, as the manifest has them. */
function rbac(): KObject[] {
  const RBAC = 'rbac.authorization.k8s.io/v1';
  const ctrlRules = [
    rule([''], ['namespaces'], ['get']),
    rule([''], ['configmaps', 'pods', 'secrets', 'endpoints'], GLW),
    rule([''], ['services'], GLW),
    rule(['networking.k8s.io'], ['ingresses'], GLW),
    rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
    rule(['networking.k8s.io'], ['ingressclasses'], GLW),
    rule([''], ['configmaps'], ['get', 'update'], ['ingress-nginx-leader']),
    rule([''], ['configmaps'], ['create']),
    rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['ingress-nginx-leader']),
    rule(['coordination.k8s.io'], ['leases'], ['create']),
    rule([''], ['events'], ['create', 'patch']),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
  ];
  const clusterRules = [
    rule([''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], ['list', 'watch']),
    rule(['coordination.k8s.io'], ['leases'], ['list', 'watch']),
    rule([''], ['nodes'], ['get']),
    rule([''], ['services'], GLW),
    rule(['networking.k8s.io'], ['ingresses'], GLW),
    rule([''], ['events'], ['create', 'patch']),
    rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
    rule(['networking.k8s.io'], ['ingressclasses'], GLW),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
  ];
  const sa = (name: string) => [{ kind: 'ServiceAccount', name, namespace: INGRESS_NS }];
  const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
  return [
    { apiVersion: RBAC, kind: 'Role', metadata: { labels: { ...ctrl }, name: 'ingress-nginx', namespace: INGRESS_NS }, rules: ctrlRules },
    { apiVersion: RBAC, kind: 'Role', metadata: { labels: { ...adm }, name: 'ingress-nginx-admission', namespace: INGRESS_NS }, rules: [rule([''], ['secrets'], ['get', 'create'])] },
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { labels: { ...base }, name: 'ingress-nginx' }, rules: clusterRules },
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { labels: { ...adm }, name: 'ingress-nginx-admission' }, rules: [rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'update'])] },
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { labels: { ...ctrl }, name: 'ingress-nginx', namespace: INGRESS_NS }, roleRef: ref('Role', 'ingress-nginx'), subjects: sa('ingress-nginx') },
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { labels: { ...adm }, name: 'ingress-nginx-admission', namespace: INGRESS_NS }, roleRef: ref('Role', 'ingress-nginx-admission'), subjects: sa('ingress-nginx-admission') },
    { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { labels: { ...base }, name: 'ingress-nginx' }, roleRef: ref('ClusterRole', 'ingress-nginx'), subjects: sa('ingress-nginx') },
    { apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { labels: { ...adm }, name: 'ingress-nginx-admission' }, roleRef: ref('ClusterRole', 'ingress-nginx-admission'), subjects: sa('ingress-nginx-admission') },
  ];
}

/** `addons disable ingress`: the namespace (and so everything in it) and the IngressClass go. */
export function uninstallIngress(state: State): void {
  if (known('IngressClass') && state.get('IngressClass', undefined, 'nginx')) deleteObject(state, resourceByKind('IngressClass'), undefined, 'nginx');
  for (const kind of ['ClusterRoleBinding', 'ClusterRole']) {
    if (!known(kind)) continue;
    for (const name of ['ingress-nginx', 'ingress-nginx-admission']) if (state.get(kind, undefined, name)) deleteObject(state, resourceByKind(kind), undefined, name);
  }
  if (state.get('Namespace', undefined, INGRESS_NS)) deleteObject(state, resourceByKind('Namespace'), undefined, INGRESS_NS);
}
