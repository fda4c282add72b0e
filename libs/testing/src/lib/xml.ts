import sax from 'sax';

/** An element of a parsed XML document: enough to count and inspect what a chart drew. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), without its children's. */
  text: string;
}

/** Characters XML 1.0 does not allow in a document, escaped or not. */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Parses a document with a strict, DOM-less XML parser and returns its root
 * element; throws on anything that is not well-formed (an unclosed or
 * mismatched tag, a bare `&` or `<`, an unquoted attribute, a second root, a
 * forbidden character), which is what a browser would refuse to show.
 */
export function parseXml(text: string): XmlElement {
  const forbidden = NOT_XML.exec(text);
  if (forbidden)
    throw new Error(`not well-formed XML: character U+${forbidden[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${forbidden.index}`);
  // sax takes a raw `<` inside an attribute value; XML does not.
  const rawLessThan = /\s[\w:.-]+\s*=\s*(?:"[^"]*<|'[^']*<)/.exec(text);
  if (rawLessThan) throw new Error(`not well-formed XML: "<" in an attribute value at ${rawLessThan.index}`);
  const parser = sax.parser(true, { trim: false, normalize: false });
  const roots: XmlElement[] = [];
  const open: XmlElement[] = [];
  let failure: Error | undefined;
  parser.onerror = (error) => {
    failure ??= new Error(`not well-formed XML: ${error.message.split('\n')[0]}`);
    parser.resume();
  };
  parser.onopentag = (tag) => {
    const attributes = Object.fromEntries(
      Object.entries(tag.attributes).map(([name, value]) => [name, typeof value === 'string' ? value : value.value]),
    );
    const element: XmlElement = { name: tag.name, attributes, children: [], text: '' };
    const parent = open[open.length - 1];
    if (parent) parent.children.push(element);
    else roots.push(element);
    open.push(element);
  };
  parser.onclosetag = () => {
    open.pop();
  };
  parser.ontext = (chunk) => {
    const current = open[open.length - 1];
    if (current) current.text += chunk;
  };
  parser.write(text).close();
  if (failure) throw failure;
  if (roots.length !== 1 || !roots[0]) throw new Error(`not well-formed XML: ${roots.length} root elements`);
  return roots[0];
}

/** Every element under `root` (root included) that matches, in document order. */
export function findElements(root: XmlElement, matches: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement) => {
    if (matches(element)) found.push(element);
    element.children.forEach(visit);
  };
  visit(root);
  return found;
}
