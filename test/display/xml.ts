/** Strict XML parsing for tests: throws on any well-formedness error. */
import { DOMParser, type Document } from "@xmldom/xmldom";

export function parseXml(text: string): Document {
  const parser = new DOMParser({
    onError: (level: string, message: string) => {
      if (level !== "warning") throw new Error(`XML ${level}: ${message}\n${text.slice(0, 400)}`);
    },
  });
  return parser.parseFromString(text, "text/xml");
}
