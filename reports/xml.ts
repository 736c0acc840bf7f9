/**
 * XML 1.0 allows only tab, LF, CR and characters from U+0020 up (minus lone surrogates and
 * U+FFFE/U+FFFF). Model output and tool results can contain anything, and a single stray
 * control character makes the whole junit.xml unreadable to CI, so those characters are
 * written as visible `\uXXXX` text instead: nothing is lost, and the file stays well-formed.
 */
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function replaceForbidden(text: string): string {
  return text.replace(FORBIDDEN_IN_XML, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Escapes element text. */
export function escapeXmlText(text: string): string {
  return replaceForbidden(text).replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * Escapes an attribute value (always written in double quotes). Tabs and line breaks become
 * character references, since a parser would otherwise normalise them to spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")
    .replaceAll("\t", "&#9;")
    .replaceAll("\n", "&#10;")
    .replaceAll("\r", "&#13;");
}

export type XmlAttributes = Record<string, string | number | undefined>;

export function xmlAttributes(attributes: XmlAttributes): string {
  return Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join("");
}
