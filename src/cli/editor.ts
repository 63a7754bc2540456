// The user's editor as kubectl launches it (k8s.io/kubectl/pkg/cmd/util/editor/editor.go):
// KUBE_EDITOR, then EDITOR, else vi; a command with spaces is split on them unless it has quotes
// or backslashes, when it goes to $SHELL -c (default /bin/bash) with the file quoted; the editor
// gets the terminal. Behind an interface so tests can drive edit without a terminal.
import { spawnSync } from 'child_process';
import { randomInt } from 'crypto';
import * as fs from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CliError } from '../api/errors';

export interface Editor {
  /** Lets the user edit the file in place; throws kubectl's error when the editor fails. */
  edit(file: string): void;
}

/** editorEnvs / defaultEnvEditor: the command and whether it runs through the shell. */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

export function terminalEditor(env: NodeJS.ProcessEnv = process.env): Editor {
  const { args, shell } = editorCommand(env);
  const shown = JSON.stringify(args.join(' '));
  return {
    edit(file) {
      // Editor.args: through the shell the file is appended %q-quoted to the command
      const argv = shell ? [...args.slice(0, -1), `${args[args.length - 1]} ${JSON.stringify(file)}`] : [...args, file];
      const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' });
      if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`unable to launch the editor ${shown}`);
      if (r.error || r.status !== 0) throw new CliError(`there was a problem with the editor ${shown}`);
    },
  };
}

/**
 * LaunchTempFile: the buffer in a new file of os.TempDir() named as os.CreateTemp names it
 * (prefix, a random decimal, suffix), edited, and read back.
 */
export function launchTempFile(editor: Editor, prefix: string, suffix: string, text: string): { edited: string; file: string } {
  let file = '';
  for (;;) {
    file = join(tmpdir(), `${prefix}${randomInt(0, 2 ** 32)}${suffix}`);
    try {
      fs.writeFileSync(file, text, { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  editor.edit(file);
  return { edited: fs.readFileSync(file, 'utf8'), file };
}
