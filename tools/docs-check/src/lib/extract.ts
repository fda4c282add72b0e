/**
 * Finds the shell commands in a markdown file: the fenced blocks in sh, bash
 * or shell (every line a command) and console (the lines after a `$ `
 * prompt), each with the marker comment right before it that says where it
 * runs (`<!-- runs-in: TAG -->`) or why it does not (`<!-- not-run: REASON -->`).
 */

/** Fence languages whose lines are all commands. */
export const SCRIPT_LANGUAGES: ReadonlySet<string> = new Set(['sh', 'bash', 'shell']);
/** Fence language whose commands follow a `$ ` prompt; other lines are output. */
export const CONSOLE_LANGUAGE = 'console';

export type Marker = { kind: 'runs-in'; tag: string } | { kind: 'not-run'; reason: string };

export interface Command {
  /** The command as bash reads it: continuation lines joined with newlines. */
  text: string;
  /** 1-based line of the command's first line in the file. */
  line: number;
}

export interface CommandBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  language: string;
  marker: Marker | undefined;
  commands: Command[];
}

/** A marker comment not directly followed by a shell block: a mistake, reported by the check. */
export interface StrayMarker {
  file: string;
  line: number;
  text: string;
}

export interface Extracted {
  blocks: CommandBlock[];
  strayMarkers: StrayMarker[];
}

const MARKER = /^<!--\s*(runs-in|not-run)\s*:\s*(.*?)\s*-->$/;
const ANY_MARKER = /^<!--\s*(runs-in|not-run)\b/;
const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

export function parseMarker(line: string): Marker | undefined {
  const match = MARKER.exec(line.trim());
  if (!match) return undefined;
  const value = match[2] ?? '';
  return match[1] === 'runs-in' ? { kind: 'runs-in', tag: value } : { kind: 'not-run', reason: value };
}

/** A line that bash continues on the next: a trailing backslash, pipe or && / ||. */
const continues = (line: string) => /(\\|\||&&)\s*$/.test(line);

function scriptCommands(lines: readonly string[], firstLine: number): Command[] {
  const commands: Command[] = [];
  let current: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (!current) {
      if (line.trim() === '' || line.trim().startsWith('#')) return;
      current = { parts: [], line: firstLine + index };
    }
    current.parts.push(line);
    if (!continues(line)) {
      commands.push({ text: current.parts.join('\n'), line: current.line });
      current = undefined;
    }
  });
  if (current) commands.push({ text: current.parts.join('\n'), line: current.line });
  return commands;
}

function consoleCommands(lines: readonly string[], firstLine: number): Command[] {
  const commands: Command[] = [];
  let current: { parts: string[]; line: number } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (current) {
      // A continuation may carry bash's secondary prompt `> `.
      current.parts.push(line.replace(/^> /, ''));
    } else if (line.startsWith('$ ')) {
      current = { parts: [line.slice(2)], line: firstLine + index };
    } else {
      return;
    }
    if (!continues(line)) {
      commands.push({ text: current.parts.join('\n'), line: current.line });
      current = undefined;
    }
  });
  if (current) commands.push({ text: current.parts.join('\n'), line: current.line });
  return commands;
}

/** The common leading whitespace of a block's lines removed (blocks inside list items are indented). */
function dedent(lines: readonly string[], indent: string): string[] {
  return lines.map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
}

export function extractCommands(file: string, markdown: string): Extracted {
  const lines = markdown.split(/\r?\n/);
  const blocks: CommandBlock[] = [];
  const strayMarkers: StrayMarker[] = [];
  let pendingMarker: { marker: Marker | undefined; line: number; text: string } | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      const [, indent = '', ticks = '', language = ''] = fence;
      const body: string[] = [];
      let end = index + 1;
      while (end < lines.length && !(lines[end] ?? '').trim().startsWith(ticks)) body.push(lines[end++] ?? '');
      const lang = language.toLowerCase();
      const content = dedent(body, indent);
      const commands = SCRIPT_LANGUAGES.has(lang)
        ? scriptCommands(content, index + 2)
        : lang === CONSOLE_LANGUAGE
          ? consoleCommands(content, index + 2)
          : [];
      if (commands.length > 0) {
        blocks.push({ file, line: index + 1, language: lang, marker: pendingMarker?.marker, commands });
      } else if (pendingMarker) {
        strayMarkers.push({ file, line: pendingMarker.line, text: pendingMarker.text });
      }
      pendingMarker = undefined;
      index = end;
      continue;
    }
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (pendingMarker) strayMarkers.push({ file, line: pendingMarker.line, text: pendingMarker.text });
    pendingMarker = ANY_MARKER.test(trimmed) ? { marker: parseMarker(trimmed), line: index + 1, text: trimmed } : undefined;
  }
  if (pendingMarker) strayMarkers.push({ file, line: pendingMarker.line, text: pendingMarker.text });
  return { blocks, strayMarkers };
}
