// Validating admission webhooks of the cluster's addons, called as the apiserver's
// ValidatingAdmissionWebhook plugin calls them: after the object is validated, on CREATE and
// UPDATE. The one kubesim has is ingress-nginx's validate.nginx.ingress.kubernetes.io (minikube's
// ingress addon, src/cluster/ingress.ts), present while its Service is: it refuses an Ingress whose
// host and path another Ingress of the controller already defines.
import type { KObject } from '../api/types';
import type { State } from '../store/state';
import { badRequest } from '../api/errors';

export function admitWebhooks(state: State, obj: KObject): void {
  if (obj.kind !== 'Ingress') return;
  if (!state.get('Service', 'ingress-nginx', 'ingress-nginx-controller-admission')) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const route = require('../network/ingressroute') as typeof import('../network/ingressroute');
  const cls = (name: string) => state.get('IngressClass', undefined, name)?.spec?.controller;
  // an Ingress of another class: the controller accepts it without a look
  if (!route.servedByNginx(obj as never, cls)) return;
  const others = state.list('Ingress').filter((i) => route.servedByNginx(i as never, cls));
  const why = route.overlapError(others as never[], obj as never);
  if (why) throw badRequest(`admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: ${why}`);
}
