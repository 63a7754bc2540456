// kubectl describe printers (kubectl 1.32 pkg/describe/describe.go): pure functions from Kubernetes JSON
// objects to the exact text kubectl prints. Only describe-specific names are exported, so that
// `export *` in lib.ts cannot clash with other modules.
export { describeService } from './service';
export { describeNode } from './node';
export { describePod } from './pod';
export { describeEndpoints } from './endpoints';
export { describeEndpointSlice } from './endpointslice';
export { describeNamespace } from './namespace';
export { describeDeployment, describeReplicaSet } from './workloads';
