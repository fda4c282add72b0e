/**
 * What a service's image holds in /app/node_modules, as listed inside its
 * running container: its own production dependencies only. Not the dev tools,
 * not the tools' dependencies (autocannon, sax), not the other services or
 * the tools as workspace links; pino-pretty is there, for LOG_FORMAT=pretty.
 */
export const LIST_NODE_MODULES = `const fs = require('fs'); console.log(JSON.stringify({ top: fs.readdirSync('node_modules'), lab: fs.readdirSync('node_modules/@concurrency-lab') }))`;

const NOT_FOR_SERVICES = [
  'autocannon',
  'sax',
  'typescript',
  'vitest',
  'vite',
  'nx',
  'eslint',
  'playwright-core',
  'fast-check',
  'tsx',
  'yaml',
  'bcryptjs',
];
const WORKSPACES_NOT_FOR_SERVICES = ['testing', 'system-e2e', 'bench', 'compare', 'compose-smoke', 'launcher', 'nats-password'];
const SERVICES = ['coordinator', 'writer', 'reader', 'downloader'];

export function checkImageContents(service: string, listing: string): { problems: string[]; summary: string } {
  let parsed: { top?: unknown; lab?: unknown };
  try {
    parsed = JSON.parse(listing.trim()) as { top?: unknown; lab?: unknown };
  } catch {
    return { problems: [`${service}: could not read the listing: ${listing.slice(0, 200)}`], summary: '' };
  }
  const top = Array.isArray(parsed.top) ? parsed.top.map(String) : [];
  const lab = Array.isArray(parsed.lab) ? parsed.lab.map(String) : [];
  const problems: string[] = [];
  const foreign = top.filter((name) => NOT_FOR_SERVICES.includes(name));
  if (foreign.length > 0) problems.push(`${service} carries ${foreign.join(', ')}`);
  const links = lab.filter((name) => WORKSPACES_NOT_FOR_SERVICES.includes(name) || (SERVICES.includes(name) && name !== service));
  if (links.length > 0) problems.push(`${service} links @concurrency-lab/${links.join(', @concurrency-lab/')}`);
  if (!lab.includes(service)) problems.push(`${service} does not link its own workspace`);
  if (!top.includes('pino-pretty')) problems.push(`${service} lacks pino-pretty (LOG_FORMAT=pretty)`);
  return { problems, summary: `${service}: ${top.length} packages, ${lab.length} workspaces` };
}
