export { checkCiCommands, checkMarkers, checkScriptable, TAGS, type Problem } from './lib/check.js';
export { checkDocs, docFiles, type DocsCheck } from './lib/docs.js';
export { extractCommands, parseMarker, type Command, type CommandBlock, type Marker } from './lib/extract.js';
export { checkLinks, extractLinks, headingAnchors, headingSlug } from './lib/links.js';
export {
  blockScript,
  runDocCommands,
  type BlockResult,
  type CommandResult,
  type RunDocCommandsOptions,
  type RunReport,
} from './lib/run.js';
