/** A message entity as the Bot API returns it: offsets and lengths in UTF-16 code units. */
export interface MessageEntity {
  readonly type: string;
  readonly offset: number;
  readonly length: number;
  readonly url?: string;
}

const TAGS: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  code: "code",
  pre: "pre",
  a: "text_link",
  "tg-spoiler": "spoiler",
  blockquote: "blockquote",
};
const NAMED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

/**
 * Telegram's HTML parse mode, as its server applies it: the tags it supports become entities over
 * the plain text, the four named entities and numeric ones are decoded, and anything else is
 * refused with Telegram's wording ("can't parse entities: …").
 */
export function parseTelegramHtml(html: string): { text: string; entities: MessageEntity[] } {
  let text = "";
  const entities: MessageEntity[] = [];
  const open: { tag: string; offset: number; url?: string }[] = [];
  const fail = (why: string, at: number): never => {
    throw new Error(`can't parse entities: ${why} at byte offset ${at}`);
  };
  let i = 0;
  while (i < html.length) {
    const ch = html[i] as string;
    if (ch === "<") {
      const end = html.indexOf(">", i);
      if (end < 0) fail("unclosed start tag", i);
      const inner = html.slice(i + 1, end);
      const closing = inner.startsWith("/");
      const name = (closing ? inner.slice(1) : inner).split(/\s/)[0]?.toLowerCase() ?? "";
      if (!(name in TAGS)) fail(`unsupported start tag "${name}"`, i);
      if (closing) {
        const top = open.pop();
        if (!top || top.tag !== name) fail(`unmatched end tag "${name}"`, i);
        const started = top as { tag: string; offset: number; url?: string };
        if (text.length > started.offset)
          entities.push({
            type: TAGS[name] as string,
            offset: started.offset,
            length: text.length - started.offset,
            ...(started.url ? { url: started.url } : {}),
          });
      } else {
        const href = /href\s*=\s*"([^"]*)"/.exec(inner)?.[1];
        open.push({ tag: name, offset: text.length, ...(href ? { url: decode(href, i) } : {}) });
      }
      i = end + 1;
    } else if (ch === "&") {
      const end = html.indexOf(";", i);
      if (end < 0 || end - i > 10) fail("unescaped &", i);
      text += decode(html.slice(i, end + 1), i);
      i = end + 1;
    } else {
      text += ch;
      i++;
    }
  }
  if (open.length > 0)
    fail(`can't find end tag corresponding to start tag "${open.at(-1)?.tag}"`, html.length);
  entities.sort((a, b) => a.offset - b.offset);
  return { text, entities };

  function decode(value: string, at: number): string {
    return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (_, name: string) => {
      if (name.startsWith("#x") || name.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
      const named = NAMED[name.toLowerCase()];
      if (named === undefined) fail(`unsupported HTML entity "&${name};"`, at);
      return named as string;
    });
  }
}
