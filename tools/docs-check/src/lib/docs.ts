import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkCiCommands, checkMarkers, checkScriptable, type Problem } from './check.js';
import { extractCommands, type CommandBlock } from './extract.js';
import { checkLinks } from './links.js';

/** The documentation checked and run: README.md, then docs/*.md in name order. */
export function docFiles(root: string): string[] {
  const docsDir = resolve(root, 'docs');
  const docs = existsSync(docsDir)
    ? readdirSync(docsDir)
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => join('docs', name))
    : [];
  return ['README.md', ...docs];
}

export interface DocsCheck {
  files: string[];
  blocks: CommandBlock[];
  problems: Problem[];
}

/** Every shell block of the docs marked honestly and runnable unattended, and every relative link pointing at something. */
export function checkDocs(root: string, files: readonly string[] = docFiles(root)): DocsCheck {
  const blocks: CommandBlock[] = [];
  const problems: Problem[] = [];
  for (const file of files) {
    const extracted = extractCommands(file, readFileSync(resolve(root, file), 'utf8'));
    blocks.push(...extracted.blocks);
    problems.push(
      ...checkMarkers(extracted.blocks, extracted.strayMarkers),
      ...checkScriptable(extracted.blocks),
      ...checkLinks(file, root),
    );
  }
  const ciScript = resolve(root, '.ci/run');
  problems.push(...checkCiCommands(blocks, existsSync(ciScript) ? readFileSync(ciScript, 'utf8') : ''));
  return { files: [...files], blocks, problems };
}
