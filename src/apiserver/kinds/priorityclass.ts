// scheduling.k8s.io/v1 PriorityClass (pkg/registry/scheduling/priorityclass): cluster-scoped, `pc`;
// the system classes cannot be deleted (storage.go Delete); the Priority admission plugin allows
// one global default (validatePriorityClass); the columns of printPriorityClass.
import { forbiddenError } from '../../api/errors';
import { defaultPriorityClass, globalDefaultClass, SYSTEM_PRIORITY_CLASSES, validatePriorityClass, validatePriorityClassUpdate } from '../../api/priority';
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { AGE, NAME } from '../columns';
import { defineKind, resource } from '../strategy';

/** validatePriorityClass (admission): a second global default is refused. */
function oneDefault(state: State, pc: KObject): void {
  if (!pc.globalDefault) return;
  const dpc = globalDefaultClass(state.list('PriorityClass'));
  if (dpc && dpc.metadata.name !== pc.metadata.name) throw forbiddenError(res, pc.metadata.name, `PriorityClass ${dpc.metadata.name} is already marked as default. Only one default can exist`);
}

const res = resource('PriorityClass', 'priorityclasses', ['pc'], 'scheduling.k8s.io', 'v1', false);

export default defineKind({
  resource: res,
  // PrepareForCreate sets generation 1; there is no spec for it to count
  generation: true,
  defaults: (obj) => defaultPriorityClass(obj),
  validate: (obj, old) => (old ? validatePriorityClassUpdate(obj, old) : validatePriorityClass(obj)),
  admit: (state, pc) => oneDefault(state, pc),
  // the same admission check on update (it throws: there is no field error to give)
  allocateUpdate: (state, _old, pc) => {
    oneDefault(state, pc);
    return [];
  },
  beforeDelete(_state, pc) {
    if (SYSTEM_PRIORITY_CLASSES.some(([name]) => name === pc.metadata.name)) throw forbiddenError(res, pc.metadata.name, 'this is a system priority class and cannot be deleted');
  },
  columns: [
    NAME,
    { header: 'VALUE', cell: (o) => String(o.value ?? 0) },
    { header: 'GLOBAL-DEFAULT', cell: (o) => String(!!o.globalDefault) },
    AGE,
    { header: 'PREEMPTIONPOLICY', cell: (o) => String(o.preemptionPolicy ?? '') },
  ],
});
