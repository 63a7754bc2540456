// coordination.k8s.io/v1 Lease: ValidateLease (pkg/apis/coordination/validation) and the columns of
// printLease (NAME, HOLDER, AGE; -o wide adds none). The kubelet keeps one per node in
// kube-node-lease (src/controllers/nodelease.ts).
import { invalid, type FieldError } from '../../api/errors';
import type { KObject } from '../../api/types';
import { nameIsDNSSubdomain, validateObjectMeta } from '../../api/validation';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';

function validateLease(lease: KObject): FieldError[] {
  const errs = validateObjectMeta(lease, true, nameIsDNSSubdomain);
  const spec = lease.spec ?? {};
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) errs.push(invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) errs.push(invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

export default defineKind({
  resource: resource('Lease', 'leases', [], 'coordination.k8s.io', 'v1', true),
  validate: validateLease,
  columns: [NAME, { header: 'HOLDER', cell: (o) => String(o.spec?.holderIdentity ?? '') }, AGE],
});
