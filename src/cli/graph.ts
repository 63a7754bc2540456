// kubesim graph: the cluster map (graph/model.ts) printed as Mermaid (the default), Graphviz dot or
// the JSON the dashboard fetches. -n/-A and -l narrow the pods, services and workloads shown, as
// they narrow `get`; the nodes are always all drawn.
import { Command } from 'commander';
import { CliError } from '../api/errors';
import { clusterMap } from '../graph/model';
import { toDot, toMermaid } from '../printers/graph';
import { namespaceOf, openRead, type GlobalOptions } from './context';
import type { Outcome } from './outcome';

interface GraphOptions {
  output?: string;
  allNamespaces?: boolean;
  selector?: string;
}

const FORMATS = ['mermaid', 'dot', 'json'];

export function runGraph(g: GlobalOptions, o: GraphOptions): Outcome {
  const output = o.output ?? 'mermaid';
  if (!FORMATS.includes(output)) throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${FORMATS.join(', ')}`, true);
  const map = clusterMap(openRead(g), { namespace: o.allNamespaces ? undefined : namespaceOf(g), selector: o.selector });
  if (output === 'json') return { stdout: JSON.stringify(map, null, 2) + '\n' };
  return { stdout: output === 'dot' ? toDot(map) : toMermaid(map) };
}

export function registerGraph(program: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  program
    .command('graph')
    .description('Print the cluster map (nodes, pods, services, endpoints, owners) as Mermaid or Graphviz dot')
    .option('-o, --output <format>', `Output format. One of: (${FORMATS.join(', ')}).`)
    .option('-A, --all-namespaces', 'If present, show the objects of every namespace.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter pods, services and workloads on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.')
    .action((o: GraphOptions) => run(() => runGraph(g(), o)));
}
