// Objects several tests feed to kubectl and to kubesim alike.

/** A NodePort Service with two ports, a dotted label key and a value that JSON must escape. */
export function sampleService() {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', 'app.kubernetes.io/name': 'w<b>' }, annotations: { a: '1' } },
    spec: {
      type: 'NodePort',
      clusterIP: '10.96.0.5',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, nodePort: 30080, protocol: 'TCP', targetPort: 80 },
        { name: 'https', port: 443, nodePort: 30443, protocol: 'TCP', targetPort: 'https' },
      ],
    },
    status: { loadBalancer: {} },
  };
}
