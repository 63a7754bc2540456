// A container's own shell, for the programs and exec probes the kubelet runs in it: the simulated
// shell of the data plane (network/shell.ts) at the pod's vantage point. The topology is built only
// when a command needs it (most programs never do).
import type { KObject } from '../../api/types';
import type { State } from '../../store/state';
import { Network } from '../../network/route';
import { runLine, shellFor, type Shell } from '../../network/shell';
import { Topology } from '../../network/topology';
import type { Runner } from '../program';

/** writes: whether what the commands write to the pod's volumes is kept (a container starting; not a program re-derived). */
export function containerRunner(state: State, pod: KObject, node: KObject, container: string, writes: () => boolean = () => false): Runner {
  let sh: Shell | undefined;
  return (line: string) => {
    if (!sh) {
      const topo = new Topology(state);
      const info = topo.node(node.metadata.name);
      if (!info) return undefined;
      sh = shellFor(new Network(topo), { kind: 'pod', pod, node: info, ip: pod.status?.podIP ?? '', container });
    }
    sh.scratch = !writes();
    const r = runLine(sh, line);
    // the shell's "not found" is the program's absence; a program the image has that the shell
    // does not simulate (etcd, kube-apiserver …) is the image's own server: not the shell's to run
    if (r.code === 127 && / not found\n?$/.test(r.stderr)) return undefined;
    if (/kubesim does not simulate/.test(r.stderr)) return undefined;
    return r;
  };
}
