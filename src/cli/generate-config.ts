// create configmap | secret generic | secret tls | secret docker-registry: kubectl's generators
// (src/generators/configdata.ts), printed (--dry-run=client) or created, as `create deployment` is.
import type { Command } from 'commander';
import { CliError, StatusError } from '../api/errors';
import type { KObject } from '../api/types';
import { configMapFor, dockerSecretFor, genericSecretFor, tlsSecretFor } from '../generators/configdata';
import type { GlobalOptions } from './context';
import { dryRunOption, emitGenerated, exactlyOneName, type OutputOptions } from './generate';
import type { Outcome } from './outcome';
import { validateOption } from './warnings';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const explicitNs = (g: GlobalOptions) => g.namespace || undefined;

/** kubectl wraps the apiserver's refusal: "failed to create configmap: …", "failed to create secret …". */
function created(g: GlobalOptions, build: () => KObject, o: OutputOptions, prefix: string): Outcome {
  const obj = build();
  try {
    return emitGenerated(g, [obj], o, 'created');
  } catch (e) {
    if (e instanceof StatusError) throw new CliError(`error: ${prefix}${e.message}`, true);
    throw e;
  }
}

export function registerConfigGenerators(create: Command, g: () => GlobalOptions, run: (fn: () => Outcome) => void): void {
  const opts = (cmd: Command) => cmd.optsWithGlobals();
  const sources = (c: Command) =>
    c
      .option('--from-file <[key=]source>', 'Key file can be specified using its file path, in which case file basename will be used as the key, or optionally with a key and file path, in which case the given key will be used. Specifying a directory will iterate each named file in the directory whose basename is a valid key.', collect)
      .option('--from-literal <key=value>', 'Specify a key and literal value to insert (i.e. mykey=somevalue)', collect)
      .option('--from-env-file <path>', 'Specify the path to a file to read lines of key=val pairs.', collect)
      .option('--append-hash', 'Append a hash of the object to its name.');
  dryRunOption(sources(validateOption(create.command('configmap')).alias('cm').description('Create a config map from a local file, directory or literal value').argument('[name...]'))).action(
    (names: string[], _o: unknown, cmd: Command) =>
      run(() => {
        const name = exactlyOneName(names, 'create configmap');
        return created(g(), () => configMapFor(name, explicitNs(g()), opts(cmd)), opts(cmd), 'failed to create configmap: ');
      }),
  );
  const secret = create.command('secret').description('Create a secret using a specified subcommand');
  dryRunOption(
    sources(validateOption(secret.command('generic')).description('Create a secret from a local file, directory, or literal value').argument('[name...]')).option('--type <type>', 'The type of secret to create'),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create secret generic');
      return created(g(), () => genericSecretFor(name, explicitNs(g()), opts(cmd)), opts(cmd), 'failed to create secret ');
    }),
  );
  dryRunOption(
    validateOption(secret.command('tls'))
      .description('Create a TLS secret')
      .argument('[name...]')
      .option('--cert <path>', 'Path to PEM encoded public key certificate.')
      .option('--key <path>', 'Path to private key associated with given certificate.')
      .option('--append-hash', 'Append a hash of the secret to its name.'),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create secret tls');
      return created(g(), () => tlsSecretFor(name, explicitNs(g()), opts(cmd)), opts(cmd), 'failed to create secret ');
    }),
  );
  dryRunOption(
    validateOption(secret.command('docker-registry'))
      .description('Create a secret for use with a Docker registry')
      .argument('[name...]')
      .option('--docker-server <server>', 'Server location for Docker registry')
      .option('--docker-username <name>', 'Username for Docker registry authentication')
      .option('--docker-password <password>', 'Password for Docker registry authentication')
      .option('--docker-email <email>', 'Email for Docker registry')
      .option('--from-file <[key=]source>', 'Key files can be specified using their file path.', collect)
      .option('--append-hash', 'Append a hash of the secret to its name.'),
  ).action((names: string[], _o: unknown, cmd: Command) =>
    run(() => {
      const name = exactlyOneName(names, 'create secret docker-registry');
      return created(g(), () => dockerSecretFor(name, explicitNs(g()), opts(cmd)), opts(cmd), 'failed to create secret ');
    }),
  );
}
