export function servePortForward(..._a: unknown[]): void {}
