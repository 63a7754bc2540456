// version.Info as `kubectl version -o json` prints it and the apiserver's /version answers it
// (k8s.io/apimachinery pkg/version/types.go).
export function versionInfo(v: string): Record<string, string> {
  const [major, minor] = v.replace(/^v/, '').split('.');
  return {
    major,
    minor,
    gitVersion: v,
    gitCommit: 'kubesim',
    gitTreeState: 'clean',
    buildDate: '2025-02-12T21:19:07Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
