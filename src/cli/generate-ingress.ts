// create ingress: kubectl's generator (src/generators/ingress.ts), printed (--dry-run=client) or
// created; the apiserver's refusal wrapped as Run does: "failed to create ingress: …".
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import { ingressFor, validateIngressOptions } from '../generators/ingress';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerIngressGenerator(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  dryRunOption(
    validateOption(create.command('ingress'))
      .alias('ing')
      .description('Create an ingress with the specified name')
      .argument('[name...]')
      .option('--class <class>', 'Ingress Class to be used')
      .option('--rule <rule>', "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.", collect)
      .option('--default-backend <backend>', 'Default service for backend, in format of svcname:port')
      .option('--annotation <annotation>', 'Annotation to insert in the ingress object, in the format annotation=value', collect),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create ingress');
      const o = cmd.optsWithGlobals();
      validateIngressOptions(o);
      const obj = ingressFor(name, g().namespace || undefined, o);
      try {
        return emitGenerated(g(), [obj], o, 'created');
      } catch (e) {
        if (e instanceof StatusError) throw new CliError(`error: failed to create ingress: ${e.message}`, true);
        throw e;
      }
    }),
  );
}
