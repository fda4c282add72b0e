import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Problem } from './check.js';

export interface Link {
  target: string;
  line: number;
}

const INLINE_LINK = /!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE_DEFINITION = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})/;
/** Links with a scheme (https:, mailto:) point outside the repository: not checked. */
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const result: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split(/\r?\n/).forEach((text, index) => {
    const match = FENCE.exec(text);
    if (fence) {
      if (match && match[1]?.startsWith(fence)) fence = undefined;
      return;
    }
    if (match) {
      fence = match[1];
      return;
    }
    result.push({ text, line: index + 1 });
  });
  return result;
}

export function extractLinks(markdown: string): Link[] {
  const links: Link[] = [];
  for (const { text, line } of proseLines(markdown)) {
    const prose = text.replace(/`[^`]*`/g, '');
    for (const match of prose.matchAll(INLINE_LINK)) links.push({ target: match[1] ?? '', line });
    const definition = REFERENCE_DEFINITION.exec(prose);
    if (definition) links.push({ target: definition[1] ?? '', line });
  }
  return links;
}

/** GitHub's anchor for a heading: the rendered text lower-cased, punctuation dropped, spaces as hyphens. */
export function headingSlug(heading: string): string {
  const rendered = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase();
  return rendered.replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** Every anchor a file's headings make, duplicates numbered as GitHub numbers them (-1, -2, ...). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = headingSlug(heading[1] ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * The relative links of one markdown file that point nowhere: a file or
 * folder that does not exist, or an anchor no heading of the target makes.
 */
export function checkLinks(file: string, root: string): Problem[] {
  const path = resolve(root, file);
  const markdown = readFileSync(path, 'utf8');
  const problems: Problem[] = [];
  for (const link of extractLinks(markdown)) {
    if (EXTERNAL.test(link.target)) continue;
    const [pathPart = '', anchor] = link.target.split('#', 2);
    const target = pathPart === '' ? path : resolve(dirname(path), decodeURIComponent(pathPart));
    const shown = relative(root, target) || '.';
    if (!existsSync(target)) {
      problems.push({ file, line: link.line, message: `link to ${link.target}: ${shown} does not exist` });
      continue;
    }
    if (anchor && target.endsWith('.md') && statSync(target).isFile()) {
      if (!headingAnchors(readFileSync(target, 'utf8')).has(anchor)) {
        problems.push({ file, line: link.line, message: `link to ${link.target}: no heading in ${shown} makes the anchor #${anchor}` });
      }
    }
  }
  return problems;
}
