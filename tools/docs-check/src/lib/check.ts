import type { CommandBlock, StrayMarker } from './extract.js';

/**
 * Where a marked block runs, and who runs it. A tag is only honest if that
 * runner really runs the block: `compose-smoke` blocks are run against the
 * running compose project by `npm run smoke:compose` (through runDocCommands);
 * `ci` blocks are checked here to appear, command by command, in .ci/run.
 */
export const TAGS: Readonly<Record<string, string>> = {
  'compose-smoke': 'run in order against the running compose project by npm run smoke:compose (runDocCommands)',
  'compose-smoke-observability': "run by npm run smoke:compose once the observability profile's Prometheus is up beside the system",
  ci: 'run by .ci/run: each command appears there as a line of its own',
};

export interface Problem {
  file: string;
  line: number;
  message: string;
}

const firstLine = (text: string) => text.split('\n')[0] ?? '';

/** Every shell block marked, with a known tag or a reason; every marker followed by a shell block. */
export function checkMarkers(blocks: readonly CommandBlock[], strayMarkers: readonly StrayMarker[]): Problem[] {
  const problems: Problem[] = [];
  for (const block of blocks) {
    const where = { file: block.file, line: block.line };
    const first = firstLine(block.commands[0]?.text ?? '');
    if (!block.marker) {
      problems.push({
        ...where,
        message: `shell block (\`${first}\`) has no marker: put <!-- runs-in: ${Object.keys(TAGS).join(' | ')} --> or <!-- not-run: reason --> on the line before it`,
      });
    } else if (block.marker.kind === 'runs-in' && !(block.marker.tag in TAGS)) {
      problems.push({ ...where, message: `unknown tag "${block.marker.tag}" (known: ${Object.keys(TAGS).join(', ')})` });
    } else if (block.marker.kind === 'not-run' && block.marker.reason.length < 10) {
      problems.push({ ...where, message: 'a not-run marker needs a reason of a few words' });
    }
  }
  for (const stray of strayMarkers) {
    problems.push({
      file: stray.file,
      line: stray.line,
      message: `marker "${stray.text}" is not right before a shell block (or is malformed)`,
    });
  }
  return problems;
}

/** A line of a script with leading `NAME=value` assignments removed, as the command it runs. */
function commandOf(line: string): string {
  return line.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, '');
}

/**
 * The commands of `ci` blocks that .ci/run does not run: each must be a line
 * of the script by itself, or the start of one followed by more options
 * (`npm ci` matches `npm ci --no-audit --no-fund`), environment assignments aside.
 */
export function checkCiCommands(blocks: readonly CommandBlock[], ciScript: string): Problem[] {
  const lines = ciScript
    .split('\n')
    .map(commandOf)
    .filter((line) => line !== '' && !line.startsWith('#'));
  const problems: Problem[] = [];
  for (const block of blocks) {
    if (block.marker?.kind !== 'runs-in' || block.marker.tag !== 'ci') continue;
    for (const command of block.commands) {
      const wanted = commandOf(command.text);
      if (!lines.some((line) => line === wanted || line.startsWith(`${wanted} `))) {
        problems.push({
          file: block.file,
          line: command.line,
          message: `\`${firstLine(command.text)}\` is marked runs-in: ci but .ci/run does not run it`,
        });
      }
    }
  }
  return problems;
}

/**
 * Commands that cannot run unattended: `docker compose exec` without `-T`
 * (anywhere in the docs: it fails without a TTY, as in every script), and in
 * blocks a runner runs, logs followed (`-f`, never ends) or `<placeholders>`
 * (bash reads `<id>` as a redirection).
 */
export function checkScriptable(blocks: readonly CommandBlock[]): Problem[] {
  const problems: Problem[] = [];
  for (const block of blocks) {
    const runs = block.marker?.kind === 'runs-in';
    for (const command of block.commands) {
      const where = { file: block.file, line: command.line };
      const text = command.text;
      if (/\bdocker(?:-compose| compose)\b[^|;&]*\sexec\s/.test(text) && !/\sexec(?:\s+\S+)*?\s+-T(?:\s|$)/.test(text)) {
        problems.push({ ...where, message: `\`${firstLine(text)}\`: docker compose exec needs -T to run without a TTY` });
      }
      if (!runs) continue;
      if (/\bdocker(?:-compose| compose)\b[^|;&]*\slogs\b[^|;&]*\s(?:-f|--follow)\b/.test(text)) {
        problems.push({ ...where, message: `\`${firstLine(text)}\`: following logs never ends; drop -f in a block that runs` });
      }
      if (/<[A-Za-z][\w-]*>/.test(text.replace(/'[^']*'|"[^"]*"/g, ''))) {
        problems.push({ ...where, message: `\`${firstLine(text)}\`: a <placeholder> cannot run; capture the value in a variable` });
      }
    }
  }
  return problems;
}
