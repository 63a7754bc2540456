// kubectl's STATUS column as a colour: running is green, on its way amber, failing red, done grey.

const RED = /BackOff|Err|Error|OOMKilled|Failed|Invalid|Unknown|Evicted|NodeLost|DeadlineExceeded|Signal|ExitCode/;
const AMBER = /Pending|ContainerCreating|PodInitializing|Init:|Terminating|SchedulingGated|NotReady/;

export function statusClass(status: string): 'ok' | 'wait' | 'bad' | 'done' {
  if (status === 'Completed' || status === 'Succeeded') return 'done';
  if (RED.test(status)) return 'bad';
  if (status === 'Running') return 'ok';
  if (AMBER.test(status)) return 'wait';
  return 'wait';
}
