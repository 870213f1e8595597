/**
 * The error code an AWS SDK resolves from a fault response: the X-Amzn-ErrorType header first,
 * then the body's `code`, then `__type`; the namespace before '#' and anything after ':' are
 * dropped (spec fault.envelope.shape).
 */
export function resolveErrorCode(header: string | undefined, body: unknown): string | undefined {
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const raw = header || (typeof fromBody.code === 'string' ? fromBody.code : undefined) || (typeof fromBody.__type === 'string' ? fromBody.__type : undefined);
  if (!raw) return undefined;
  return raw.split(':')[0]!.split('#').pop();
}
