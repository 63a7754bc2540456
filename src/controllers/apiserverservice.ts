// The apiserver's bootstrap controller (pkg/controlplane/controller/kubernetesservice): it keeps
// default/kubernetes, its Endpoints and its EndpointSlice, and puts them back when they are deleted
// (it reconciles every 10 s; kubesim does it at the next pass of the controllers).
import { defaultService } from '../api/defaults';
import { apiserverEndpoints, apiserverSlice, kubernetesService } from '../cluster/bootstrap';
import { createService } from '../apiserver/registry';
import type { State } from '../store/state';

export function syncKubernetesService(state: State): void {
  if (!state.get('Namespace', undefined, 'default')) return;
  if (!state.get('Service', 'default', 'kubernetes')) {
    const svc = kubernetesService(state.config);
    defaultService(svc);
    const err = createService(state, svc);
    if (err) return; // its address is taken by another Service: the apiserver logs it and retries
  }
  if (!state.get('Endpoints', 'default', 'kubernetes')) state.add(apiserverEndpoints(state.config));
  if (!state.get('EndpointSlice', 'default', 'kubernetes')) state.add(apiserverSlice(state.config));
}
