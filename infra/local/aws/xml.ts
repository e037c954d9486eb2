/**
 * EC2 and STS answer in XML. Responses are built as plain trees first, so the same tree renders as
 * the wire XML and converts to the JSON CloudTrail writes in `responseElements`.
 */

/** An element's content: text, a nested element map, or a list (rendered as `<item>` children). */
export type XmlValue = string | number | boolean | undefined | XmlObject | XmlValue[];
export interface XmlObject {
  [name: string]: XmlValue;
}

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** Escapes text for XML content. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function renderValue(name: string, value: XmlValue, itemName: string): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`;
    return `<${name}>${value.map((v) => renderValue(itemName, v, itemName)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${renderChildren(value, itemName)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

function renderChildren(obj: XmlObject, itemName: string): string {
  return Object.entries(obj)
    .map(([k, v]) => renderValue(k, v, itemName))
    .join('');
}

/** `<Root xmlns="…">children</Root>`; EC2 lists use `<item>`, STS lists use `<member>`. */
export function renderDocument(
  root: string,
  namespace: string,
  body: XmlObject,
  itemName: 'item' | 'member' = 'item',
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${namespace}">${renderChildren(body, itemName)}</${root}>`;
}

/** EC2's error envelope: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`. */
export function renderEc2Error(code: string, message: string, requestId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}

/** STS's error envelope: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function renderStsError(
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${STS_NAMESPACE}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** JSON as CloudTrail records EC2 responses: lists become `{ items: [...] }` (empty: `{}`), `return` becomes `_return`, "true"/"false" booleans. */
export type CloudTrailJson = string | number | boolean | null | CloudTrailJson[] | { [k: string]: CloudTrailJson };

/** Converts a response tree to CloudTrail's JSON spelling. */
export function toCloudTrailJson(value: XmlValue): CloudTrailJson {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? {} : { items: value.map(toCloudTrailJson) };
  if (typeof value === 'object') {
    const out: { [k: string]: CloudTrailJson } = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k === 'return' ? '_return' : k] = toCloudTrailJson(v);
    }
    return out;
  }
  return value;
}
