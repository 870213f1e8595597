import type { Exchange } from '../clients/raw.ts';
import type { RecordedExchange } from '../generated/types.ts';

/** An exchange as reports keep it (schemas/conformance-report.schema.json): credentials and signatures redacted, bodies cut short. */
export type { RecordedExchange };

const MAX_BODY = 2_000;
const SECRET_HEADERS = new Set(['authorization', 'x-amz-security-token']);

function cut(body: string): string {
  return body.length > MAX_BODY ? `${body.slice(0, MAX_BODY)}… (${body.length} characters)` : body;
}

export function redact(exchange: Exchange): RecordedExchange {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(exchange.request.headers)) {
    if (k.toLowerCase() === 'authorization')
      headers[k] = v.replace(/Credential=[^/]+/, 'Credential=<redacted>').replace(/Signature=\w+/, 'Signature=<redacted>');
    else headers[k] = SECRET_HEADERS.has(k.toLowerCase()) ? '<redacted>' : v;
  }
  const response = 'status' in exchange.response ? { ...exchange.response, body: cut(exchange.response.body) } : exchange.response;
  return { at: new Date().toISOString(), request: { ...exchange.request, headers, body: cut(exchange.request.body) }, response };
}

/** A curl command that sends the request again; the caller signs it (see the report's notes). */
export function curlOf(exchange: RecordedExchange): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const headers = Object.entries(exchange.request.headers)
    .filter(
      ([k]) =>
        !['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'host', 'content-length'].includes(
          k.toLowerCase(),
        ),
    )
    .map(([k, v]) => `-H ${quote(`${k}: ${v}`)}`);
  return [
    'curl -sS -i -X POST',
    quote(exchange.request.url),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion in the curl line, not a template
    '--aws-sigv4 "aws:amz:${AWS_REGION:-us-east-1}:swf"',
    '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
    ...headers,
    '--data-binary',
    quote(exchange.request.body),
  ].join(' ');
}
