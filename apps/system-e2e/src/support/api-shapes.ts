import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/*
 * Checks an answer the way a client that trusts the OpenAPI document would:
 * documented status, documented content type, and a JSON body (or each event
 * of an event stream) valid against the documented schema. The page is plain
 * JavaScript: this is how its browser test holds it to the same shapes as the
 * typed client.
 */

// ajv-formats is CommonJS: its default export is the module under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const DOCUMENT_URI = 'urn:concurrency-lab:coordinator:openapi';

type Content = Record<string, { schema?: unknown; 'x-event-data'?: unknown }>;
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Content }> }>>;
}

export interface CheckedAnswer {
  /** "POST /simulations 201", by the document's path template. */
  operation: string;
  /** What does not match the document; empty when it all does. */
  problems: string[];
}

const escape = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The document's path template a concrete path answers to ("/simulations/{id}"), if any. */
function templateOf(document: OpenApiDocument, path: string): string | undefined {
  return Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
}

/** The data of each event in a text/event-stream body. */
function eventData(text: string): string[] {
  return text
    .split(/\n\n/)
    .map((block) =>
      block
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart()),
    )
    .filter((data) => data.length > 0)
    .map((data) => data.join('\n'));
}

export function answerChecker(
  document: Record<string, unknown>,
): (method: string, path: string, status: number, contentType: string, text: string) => CheckedAnswer | undefined {
  const doc = document as unknown as OpenApiDocument;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document, DOCUMENT_URI);
  const validate = (pointer: string[], value: unknown): string[] => {
    const validator = ajv.getSchema(`${DOCUMENT_URI}#/${pointer.map(escape).join('/')}`);
    if (!validator) return [`no schema at ${pointer.join('/')}`];
    return validator(value) ? [] : [`${JSON.stringify(validator.errors)}: ${JSON.stringify(value).slice(0, 300)}`];
  };

  return (method, path, status, contentType, text) => {
    const template = templateOf(doc, path);
    const operation = template === undefined ? undefined : doc.paths[template]?.[method.toLowerCase()];
    if (!template || !operation) return undefined; // not the API's (a page asset, say)
    const name = `${method} ${template} ${status}`;
    const type = contentType.split(';')[0]?.trim() ?? '';
    const content = operation.responses?.[String(status)]?.content;
    if (!content) return { operation: name, problems: [`status ${status} is not documented`] };
    if (!content[type])
      return { operation: name, problems: [`content type ${type} is not documented (${Object.keys(content).join(', ')})`] };
    const at = ['paths', template, method.toLowerCase(), 'responses', String(status), 'content', type];
    if (type === 'text/event-stream')
      return { operation: name, problems: eventData(text).flatMap((data) => validate([...at, 'x-event-data'], JSON.parse(data))) };
    if (type.endsWith('json')) return { operation: name, problems: validate([...at, 'schema'], JSON.parse(text)) };
    return { operation: name, problems: [] };
  };
}
