// The apiserver's /version answer (version.Info), for `kubectl version` and GET /version in the cluster.
export function versionInfo(v: string) {
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
