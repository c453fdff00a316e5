import { InputError } from '@backstage/errors';
import { cutForMessage } from '@nthlayer/backstage-plugin-common';
import { z } from 'zod';

/** A request body checked against `schema`; the first problem is a 400 naming its field. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${issue.path.join('.') || 'body'}: ${cutForMessage(issue.message, 200)}`);
  }
  return parsed.data;
}
