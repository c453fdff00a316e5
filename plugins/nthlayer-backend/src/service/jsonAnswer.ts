import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';

const gzipAsync = promisify(gzip);

/** A JSON answer as served: its bytes, an ETag, and the bytes gzipped (on demand, once). */
export interface JsonAnswer {
  body: Buffer;
  etag: string;
  gzip(): Promise<Buffer>;
}

/**
 * The answer of `value`, serialised now. The ETag is `etagOf` when given (e.g. a cache key that
 * already names the content), else a hash of the bytes.
 */
export function jsonAnswer(value: unknown, etagOf?: string): JsonAnswer {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const etag = `"${createHash('sha1')
    .update(etagOf ?? body)
    .digest('base64url')}"`;
  let gzipped: Promise<Buffer> | undefined;
  // Compressed off the event loop, once for every caller that accepts gzip.
  return { body, etag, gzip: () => (gzipped ??= gzipAsync(body)) };
}

/** Answers already serialised, by the identity of the object they were made from. */
const answers = new WeakMap<object, JsonAnswer>();

/**
 * The answer of an object, serialised once per object: services that hand out the same
 * (cached, never mutated) object to every request get one serialisation and one gzip for all.
 */
export function jsonAnswerOf(value: object): JsonAnswer {
  let answer = answers.get(value);
  if (!answer) {
    answer = jsonAnswer(value);
    answers.set(value, answer);
  }
  return answer;
}

/**
 * Sends a JSON answer: 304 when the caller's `If-None-Match` names it, gzipped bytes when the
 * caller accepts gzip (the root router's compression leaves an encoded body alone), else the
 * plain bytes.
 */
export async function sendJsonAnswer(req: Request, res: Response, answer: JsonAnswer): Promise<void> {
  res.set('ETag', answer.etag).vary('Accept-Encoding').type('application/json; charset=utf-8');
  if (req.fresh) {
    res.status(304).end();
    return;
  }
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.set('Content-Encoding', 'gzip').send(await answer.gzip());
    return;
  }
  res.send(answer.body);
}

/** Sends an object's answer, serialised once per object (see {@link jsonAnswerOf}). */
export function sendJson(req: Request, res: Response, value: object): Promise<void> {
  return sendJsonAnswer(req, res, jsonAnswerOf(value));
}
