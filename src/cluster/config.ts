// What `kubesim cluster init` decides once for the life of a cluster.
export interface ClusterConfig {
  name: string;
  kubernetesVersion: string;
  nodes: number;
  serviceCIDR: string;
  podCIDR: string;
  nodePortRange: string; // "30000-32767"
  /** the nodes' network; node i (0 = control plane) gets host address i + 2 */
  nodeNetwork: string;
  proxyMode: 'iptables' | 'ipvs';
  /** "FIRST-LAST" addresses for LoadBalancer services (like MetalLB); none: EXTERNAL-IP stays <pending> */
  lbPool?: string;
  /**
   * The CNI plugin `cluster init --cni` chose. calico (the default, and what a state made before the
   * flag existed means) enforces NetworkPolicies; flannel runs its DaemonSet and enforces none.
   */
  cni?: Cni;
  seed: string;
  createdAt: string;
  /**
   * `cluster init --zones`: the zones node i is put in, round robin (its topology.kubernetes.io/zone
   * label, as a cloud provider's node controller sets it); none: nodes carry no zone label
   */
  zones?: string[];
  /** minikube-style addons enabled (`cluster init --ingress nginx`, `addons enable ingress`) */
  addons?: string[];
}

export type Cni = 'calico' | 'flannel';
export const CNIS: Cni[] = ['calico', 'flannel'];

export const DEFAULT_CONFIG: Omit<ClusterConfig, 'seed' | 'createdAt'> = {
  name: 'kubesim',
  kubernetesVersion: 'v1.32.2',
  nodes: 3,
  serviceCIDR: '10.96.0.0/12',
  podCIDR: '10.244.0.0/16',
  nodePortRange: '30000-32767',
  nodeNetwork: '192.168.49.0/24',
  proxyMode: 'iptables',
};

export function nodePortRange(cfg: ClusterConfig): [number, number] {
  const [a, b] = cfg.nodePortRange.split('-').map(Number);
  return [a, b];
}

/**
 * Whether the cluster's network plugin enforces NetworkPolicies: calico does, flannel has no policy
 * engine (its manifest installs only flanneld), so there policies are stored and never applied.
 */
export function policiesEnforced(cfg: Pick<ClusterConfig, 'cni'>): boolean {
  return (cfg.cni ?? 'calico') !== 'flannel';
}
