// Help for kubesim's own commands (kubectl has none of them), written in kubectl's layout: a Long
// text, Examples indented by two spaces with a `#` comment over each, and the usage line.
export interface OwnText {
  short: string;
  long: string;
  examples?: string;
  usage: string;
  /** [shorthand, name, default as pflag prints it, description] for flags kubectl does not have */
  flags?: [string, string, string, string][];
}

const ex = (...pairs: [string, string][]) => pairs.map(([c, cmd]) => `  # ${c}\n  ${cmd}`).join('\n  \n');

export const OWN: Record<string, OwnText> = {
  '': {
    short: '',
    long: 'kubesim controls a simulated Kubernetes cluster, as kubectl controls a real one.\n\n Its verbs, flags and output are kubectl 1.32\'s; the commands under "Simulator Commands" are its own.',
    usage: 'kubesim [flags] [options]',
  },
  cluster: {
    short: 'Create, reset and inspect the simulated cluster (kubesim only)',
    long: 'Create, reset and inspect the simulated cluster (kubesim only).\n\n The cluster lives in a state directory: --state, else $KUBESIM_STATE, else ~/.kubesim/cluster.',
    examples: ex(['Create a cluster of three nodes (a control plane and two workers)', 'kubesim cluster init'], ['Start again from an empty cluster with the same settings', 'kubesim cluster reset']),
    usage: 'kubesim cluster [command] [options]',
  },
  'cluster init': {
    short: 'Create a new cluster',
    long: 'Create a new simulated cluster: nodes with their kubelets, the control plane, CoreDNS and kube-proxy.',
    examples: ex(
      ['Create a cluster with a control plane and two workers', 'kubesim cluster init'],
      ['Create a cluster of five nodes, reproducible names and addresses', 'kubesim cluster init --nodes 5 --seed 42'],
      ['Give LoadBalancer services addresses from a pool, as MetalLB does', 'kubesim cluster init --lb-pool 192.168.49.100-192.168.49.120 --force'],
      ['A flannel network, where NetworkPolicies are stored but not enforced', 'kubesim cluster init --cni flannel --force'],
      ['Four nodes in two zones, for topology spread and zone affinity', 'kubesim cluster init --nodes 4 --zones 2 --force'],
    ),
    usage: 'kubesim cluster init [options]',
    flags: [
      ['', 'nodes', '3', 'Number of nodes; the first is the control plane.'],
      ['', 'kubernetes-version', "'v1.32.2'", 'The Kubernetes version the nodes report.'],
      ['', 'service-cidr', "'10.96.0.0/12'", 'The range of service ClusterIPs.'],
      ['', 'pod-cidr', "'10.244.0.0/16'", 'The pod network, a /24 per node.'],
      ['', 'service-node-port-range', "'30000-32767'", 'The range of NodePorts.'],
      ['', 'lb-pool', "''", 'Addresses for LoadBalancer services, FIRST-LAST, like MetalLB. Empty: EXTERNAL-IP stays <pending>.'],
      ['', 'proxy-mode', "'iptables'", 'The kube-proxy mode: iptables or ipvs.'],
      ['', 'cni', "'calico'", 'The network plugin: calico enforces NetworkPolicies; flannel runs its DaemonSet in kube-flannel and enforces none.'],
      ['', 'zones', "''", 'Put the nodes in zones round robin, labelled topology.kubernetes.io/zone: a count (zone-a, zone-b, ...) or a comma-separated list of zone names. The nodes also get topology.kubernetes.io/region: the zones\' common stem when they are named a region and a letter (us-east-1a,us-east-1b: us-east-1; europe-west1-b: europe-west1), else region-1.'],
      ['', 'seed', "''", 'The seed of every random choice (names, addresses). Default: $KUBESIM_SEED, else random.'],
      ['', 'force', 'false', 'If true, replace an existing cluster.'],
    ],
  },
  'cluster reset': {
    short: 'Delete everything and start a new cluster with the same settings',
    long: 'Delete every object and start a new cluster with the same settings (nodes, ranges, seed).',
    examples: ex(['Start again from an empty cluster', 'kubesim cluster reset']),
    usage: 'kubesim cluster reset [options]',
  },
  // kubectl's text (pkg/cmd/completion/completion.go) for kubesim's shells, with the alias line
  completion: {
    short: 'Output shell completion code for the specified shell (bash, zsh, or fish)',
    long: 'Output shell completion code for the specified shell (bash, zsh, or fish). The shell code must be evaluated to provide interactive completion of kubesim commands.  This can be done by sourcing it from the .bash_profile.\n\n The completion also serves an alias: after `alias kubectl=kubesim`, `complete -o default -F __start_kubesim kubectl` completes kubectl\'s words with kubesim\'s cluster (never the user\'s ~/.kube/config).\n\n Note for zsh users: [1] zsh completions are only supported in versions of zsh >= 5.2.',
    examples: [
      '  # Installing bash completion on Linux',
      "  ## If bash-completion is not installed on Linux, install the 'bash-completion' package",
      "  ## via your distribution's package manager.",
      '  ## Load the kubesim completion code for bash into the current shell',
      '  source <(kubesim completion bash)',
      '  ## Write bash completion code to a file and source it from .bash_profile',
      '  mkdir -p ~/.kubesim && kubesim completion bash > ~/.kubesim/completion.bash.inc',
      '  printf "',
      '  # kubesim shell completion',
      "  source '$HOME/.kubesim/completion.bash.inc'",
      '  " >> $HOME/.bash_profile',
      '  source $HOME/.bash_profile',
      '  ',
      '  # Complete the kubectl alias as kubesim (bash)',
      '  alias kubectl=kubesim',
      '  complete -o default -F __start_kubesim kubectl',
      '  ',
      '  # Load the kubesim completion code for zsh[1] into the current shell',
      '  source <(kubesim completion zsh)',
      '  ',
      '  # Load the kubesim completion code for fish into the current shell',
      '  kubesim completion fish | source',
      '  # To load completions for each session, execute once:',
      '  kubesim completion fish > ~/.config/fish/completions/kubesim.fish',
    ].join('\n'),
    usage: 'kubesim completion SHELL [options]',
  },
  curl: {
    short: "Run curl from a machine on the nodes' network outside the cluster (your laptop)",
    long: "Run curl from a machine on the nodes' network outside the cluster, as from your laptop: NodePorts, LoadBalancer addresses and node IPs answer; ClusterIPs and pod IPs do not.\n\n All arguments are curl's; --trace shows every hop a request takes through the simulated network.",
    examples: ex(['Reach a NodePort service on a node', 'kubesim curl http://$(kubesim ip):30080/'], ['Show every hop: the node, kube-proxy\'s rule, the pod', 'kubesim curl --trace http://$(kubesim ip):30080/']),
    usage: 'kubesim curl [curl options] URL',
  },
  graph: {
    short: 'Print the cluster map (nodes, pods, services, endpoints, owners) as Mermaid or Graphviz dot',
    long: "Print the cluster map as text for notes and READMEs: each node a box holding its pods (kubectl's STATUS, READY and IP), the Services with their type, ClusterIP and ports, an arrow from each Service to the pods it sends traffic to (dashed for endpoints that are not ready), and the ownership Deployment → ReplicaSet → Pod in thick arrows.\n\n -o json prints the map as the data the dashboard reads.",
    examples: ex(['Print the current namespace as a Mermaid flowchart', 'kubesim graph'], ['Render every namespace with Graphviz', 'kubesim graph -A -o dot | dot -Tsvg > cluster.svg'], ['Only the objects labelled app=web', 'kubesim graph -l app=web']),
    usage: 'kubesim graph [-o mermaid|dot|json] [-n NAMESPACE | -A] [-l SELECTOR] [options]',
  },
  dashboard: {
    short: 'Serve a live web page of the cluster: nodes, pods, Services, endpoints, events and the path of a request',
    long: "Serve a web page of the cluster on a loopback port: the nodes as regions (Ready, NotReady, cordoned) with their pods (kubectl's STATUS, colour-coded, and IPs), the Services with their type, ClusterIP and node ports, a line from each Service to the pods it sends traffic to (dashed when not ready), the ownership Deployment → ReplicaSet → Pod, and the events. Click an object for its describe and events.\n\n \"Follow a request\" runs curl --trace from outside the cluster, a node or a pod and draws each hop: the node entered, every iptables rule with its iptables-save text, the DNAT, the pod reached or where and why it was dropped; repeated, the replies per pod. The page updates as soon as any command changes the state. Ctrl-C stops it.",
    examples: ex(['Serve on the default port, 8080', 'kubesim dashboard'], ['Serve on any free port and open the page in the browser', 'kubesim dashboard --port 0 --open']),
    usage: 'kubesim dashboard [--port PORT] [--address ADDRESS] [--open] [options]',
  },
  serve: {
    short: 'Serve the Kubernetes API of the simulated cluster, for your own kubectl',
    long: "Serve the Kubernetes REST API of the simulated cluster on a loopback port, over the same state as kubesim's own commands, so the real kubectl, client libraries and dashboards can drive it.\n\n It writes a kubeconfig for them beside kubesim's own (never ~/.kube/config) and prints how to use it; Ctrl-C stops it.",
    examples: ex(['Serve on the default port, 6443', 'kubesim serve'], ['Serve on any free port, then use it from another terminal', 'kubesim serve --port 0'], ['Serve https with a self-signed certificate', 'kubesim serve --tls']),
    usage: 'kubesim serve [--port PORT] [--address ADDRESS] [--tls] [options]',
  },
  ip: {
    short: "Print a node's IP address, like `minikube ip`",
    long: "Print a node's IP address, like `minikube ip` (default: the control-plane node).",
    examples: ex(["Print the control plane's address", 'kubesim ip'], ["Print a worker's address", 'kubesim ip node01']),
    usage: 'kubesim ip [NODE] [options]',
    flags: [['', 'node', "''", 'The node to print the address of.']],
  },
  ssh: {
    short: 'Run a command on a node, like `minikube ssh`',
    long: 'Log in to a node, or run a command on it, like `minikube ssh`: its processes, crictl, journalctl, the kubelet\'s files, iptables.',
    examples: ex(['Open a shell on the control plane', 'kubesim ssh'], ["List a worker's containers", 'kubesim ssh node01 -- crictl ps']),
    usage: 'kubesim ssh [NODE] [-- COMMAND [args...]]',
  },
  node: {
    short: 'Stop or start a simulated node (its kubelet and everything on it)',
    long: 'Stop or start a simulated node: its kubelet and everything on it.',
    examples: ex(['Stop a worker: it goes NotReady and its pods move away', 'kubesim node stop node01'], ['Start it again', 'kubesim node start node01']),
    usage: 'kubesim node [command] [options]',
  },
  'node stop': {
    short: 'Stop a node',
    long: 'Stop a node: it goes NotReady, its pods are evicted and recreated elsewhere by their controllers.',
    examples: ex(['Stop a worker', 'kubesim node stop node01']),
    usage: 'kubesim node stop NODE [options]',
  },
  'node start': {
    short: 'Start a stopped node again',
    long: 'Start a stopped node again: its kubelet reports Ready and it takes pods.',
    examples: ex(['Start a stopped worker', 'kubesim node start node01']),
    usage: 'kubesim node start NODE [options]',
  },
};
