// A cheap upload generator for benchmarks: a multipart body is a small head, the file's bytes as they
// are (one Buffer, never copied or re-encoded) and a small tail, written straight to a socket. The SDK's
// FormData path would copy each file into a Blob and run per-request JS that competes with the server
// for the same cores; this measures the server, not the client.
import { request, type Agent } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface UploadFile {
  field: string;
  name: string;
  type: string;
  data: Buffer;
}

export interface MultipartBody {
  contentType: string;
  /** Head, the file's bytes, tail: written in turn, their lengths summing to `length`. */
  parts: Buffer[];
  length: number;
}

/** Field names, file names and values must not break the part headers they are written into. */
function checked(what: string, value: string): string {
  if (/["\r\n]/.test(value)) throw new Error(`multipart: ${what} ${JSON.stringify(value)} holds a quote or line break`);
  return value;
}

/** A multipart/form-data body of text fields and one file, as a browser's FormData would send it. */
export function multipartBody(fields: Record<string, string>, file: UploadFile): MultipartBody {
  const boundary = `----palaver-bench-${randomBytes(12).toString('hex')}`;
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${checked('field', name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${checked('field', file.field)}"; ` +
    `filename="${checked('file name', file.name)}"\r\nContent-Type: ${checked('type', file.type)}\r\n\r\n`;
  const parts = [Buffer.from(head), file.data, Buffer.from(`\r\n--${boundary}--\r\n`)];
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    parts,
    length: parts.reduce((sum, part) => sum + part.length, 0),
  };
}

export interface Posted {
  status: number;
  body: string;
  /** From the request's start to the response's last byte. */
  ms: number;
}

/** POSTs `body` to `url` (http only) and reads the whole answer. */
export function postBody(
  url: string,
  body: MultipartBody,
  options: { agent?: Agent; headers?: Record<string, string> } = {},
): Promise<Posted> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: options.agent,
        headers: { ...options.headers, 'content-type': body.contentType, 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
      },
    );
    req.on('error', reject);
    for (const part of body.parts) req.write(part);
    req.end();
  });
}
