import { describe, expect, it } from 'vitest';
import { findElements, parseXml } from './xml.js';

describe('parseXml', () => {
  it('gives the element tree with attributes and decoded text', () => {
    const root = parseXml('<svg a="1"><g><rect class="bar" data-name="a &amp; b"><title>x &lt; y</title></rect></g><rect/></svg>');
    expect(root.name).toBe('svg');
    const rects = findElements(root, (element) => element.name === 'rect');
    expect(rects.map((rect) => rect.attributes['class'])).toEqual(['bar', undefined]);
    expect(rects[0]?.attributes['data-name']).toBe('a & b');
    expect(rects[0]?.children[0]?.text).toBe('x < y');
  });

  it.each([
    ['an unclosed tag', '<svg><g></svg>'],
    ['a mismatched tag', '<svg><g></rect></svg>'],
    ['a bare ampersand', '<svg><text>a & b</text></svg>'],
    ['a bare less-than in an attribute', '<svg><rect data-x="<"/></svg>'],
    ['an unquoted attribute', '<svg><rect x=1/></svg>'],
    ['two roots', '<svg/><svg/>'],
    ['a control character', '<svg><text>\u0001</text></svg>'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseXml(text)).toThrow(/not well-formed XML/);
  });
});
