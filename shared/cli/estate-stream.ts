import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Estate snapshots streamed, so that a snapshot is never one string: V8 caps a string at ~512 MiB, which
 * `JSON.stringify` of an estate reached at ~125k networks. The compact layout is still one JSON document (jq and
 * JSON.parse read it), laid out one list element per line:
 *
 *   {"version":1,"observedAt":"…","complete":true,"gaps":[
 *   ],"accounts":[
 *   {"cloud":"aws",…},
 *   {"cloud":"aws",…}
 *   ],"networks":[
 *   …
 *   ]}
 *
 * so that reading and writing hold one line at a time as text (plus the estate itself as objects). A file in any
 * other layout (examples/estate.json, indented) is read whole, as before.
 */

/** Bytes read or written per system call: large enough that syscalls cost nothing next to JSON work. */
const CHUNK = 1 << 20;

/** A snapshot that is not well-formed JSON (Lines), with where. */
export class EstateSyntaxError extends Error {
  override readonly name = 'EstateSyntaxError';
}

/** Calls `onLine` with each line of the file (without its newline), 1-based, reading CHUNK bytes at a time. */
function eachLine(path: string, onLine: (line: string, lineNo: number) => boolean | void): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer[] = [];
    let lineNo = 0;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (let i = buffer.indexOf(10, 0); i >= 0 && i < n; i = buffer.indexOf(10, i + 1)) {
        const piece = buffer.subarray(start, i);
        const text = carry.length > 0 ? Buffer.concat([...carry, piece]).toString('utf8') : piece.toString('utf8');
        carry = [];
        start = i + 1;
        if (onLine(text, ++lineNo) === false) return;
      }
      if (start < n) carry.push(Buffer.from(buffer.subarray(start, n)));
    }
    if (carry.length > 0) onLine(Buffer.concat(carry).toString('utf8'), ++lineNo);
  } finally {
    closeSync(fd);
  }
}

/** Line 1 of the streamed layout: the scalar fields, then the first list opened (`…,"gaps":[`). */
const FIRST_LINE = /^\{(.*?)"([A-Za-z]+)":\[$/;
/** A line between two lists: `],"networks":[`. */
const NEXT_LIST = /^\],"([A-Za-z]+)":\[$/;

/**
 * The estate document in a snapshot file, either layout, as plain JSON values (validation is the caller's).
 * `readWhole` reads a file in another layout (one string: fine for what such a file could ever hold).
 */
export function readEstateDocument(path: string, readWhole: () => string): unknown {
  let first = '';
  eachLine(path, (line) => {
    first = line;
    return false;
  });
  const opened = FIRST_LINE.exec(first.trimEnd());
  if (!opened) {
    try {
      return JSON.parse(readWhole()) as unknown;
    } catch (error) {
      throw new EstateSyntaxError(`not JSON: ${(error as Error).message}`);
    }
  }
  const parse = (text: string, lineNo: number): unknown => {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new EstateSyntaxError(`line ${lineNo}: not JSON: ${(error as Error).message}`);
    }
  };
  const estate = parse(`{${opened[1]!.replace(/,$/, '')}}`, 1) as Record<string, unknown>;
  let list: unknown[] = [];
  estate[opened[2]!] = list;
  let closed = false;
  eachLine(path, (raw, lineNo) => {
    const line = raw.trimEnd();
    if (lineNo === 1 || line === '') return;
    if (closed) throw new EstateSyntaxError(`line ${lineNo}: text after the end of the estate`);
    if (line === ']}') {
      closed = true;
      return;
    }
    const next = NEXT_LIST.exec(line);
    if (next) {
      estate[next[1]!] = list = [];
      return;
    }
    list.push(parse(line.endsWith(',') ? line.slice(0, -1) : line, lineNo));
  });
  if (!closed) throw new EstateSyntaxError('the file ends before the estate does (no closing "]}"): truncated?');
  return estate;
}

/** Writes text to a file in CHUNK-sized writes, atomically (temp file + rename), creating missing directories. */
function writeChunked(path: string, produce: (write: (text: string) => void) => void): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    let pending: string[] = [];
    let size = 0;
    const flush = () => {
      if (pending.length > 0) writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    };
    produce((text) => {
      pending.push(text);
      size += text.length;
      if (size >= CHUNK) flush();
    });
    flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

const indent = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);

/**
 * Writes an estate: compact by default, one list element per line (the layout above: streamable, any size);
 * `pretty` indents by two spaces, byte for byte what `JSON.stringify(estate, null, 2)` gives, yet element by
 * element, so that it too has no size limit but the disk's.
 */
export function writeEstateFile(path: string, estate: object, options: { pretty?: boolean } = {}): void {
  const entries = Object.entries(estate).filter(([, v]) => v !== undefined);
  writeChunked(path, (write) => {
    if (options.pretty) {
      write('{');
      entries.forEach(([key, value], i) => {
        const head = `${i === 0 ? '' : ','}\n  ${JSON.stringify(key)}: `;
        if (!Array.isArray(value) || value.length === 0) {
          write(head + indent(JSON.stringify(value, null, 2), '  '));
          return;
        }
        write(`${head}[`);
        value.forEach((item, k) =>
          write(`${k === 0 ? '' : ','}\n    ${indent(JSON.stringify(item, null, 2), '    ')}`),
        );
        write('\n  ]');
      });
      write(entries.length > 0 ? '\n}\n' : '}\n');
      return;
    }
    // Scalars first, then each list with one element per line: the layout readEstateDocument streams.
    const scalars = entries.filter(([, v]) => !Array.isArray(v));
    const lists = entries.filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
    if (lists.length === 0) {
      write(`${JSON.stringify(Object.fromEntries(scalars))}\n`);
      return;
    }
    const head = JSON.stringify(Object.fromEntries(scalars)).slice(1, -1);
    lists.forEach(([key, items], i) => {
      write(i === 0 ? `{${head}${head ? ',' : ''}${JSON.stringify(key)}:[\n` : `],${JSON.stringify(key)}:[\n`);
      items.forEach((item, k) => write(`${JSON.stringify(item)}${k < items.length - 1 ? ',' : ''}\n`));
    });
    write(']}\n');
  });
}
