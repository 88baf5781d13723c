import { describe, expect, it } from 'vitest';
import { GraphApiError, GraphTransportError, MediaTooLargeError, errorCodeOf, errorFromResponse, isRetryable, isTokenProblem } from './graph-error.ts';

const metaBody = (error: Record<string, unknown>) => JSON.stringify({ error: { type: 'OAuthException', fbtrace_id: 'AbC123', ...error } });

describe('errorFromResponse', () => {
  it('keeps Meta code, subcode, details and fbtrace_id from an error body', () => {
    const err = errorFromResponse(
      400,
      metaBody({
        message: '(#131030) Recipient phone number not in allowed list',
        code: 131030,
        error_subcode: 2655007,
        error_data: { messaging_product: 'whatsapp', details: 'Add the number' },
      }),
      'POST /1/messages',
    );
    expect(err).toBeInstanceOf(GraphApiError);
    const e = err as GraphApiError;
    expect(e).toMatchObject({
      httpStatus: 400,
      code: 131030,
      subcode: 2655007,
      type: 'OAuthException',
      details: 'Add the number',
      fbtraceId: 'AbC123',
      retryable: false,
    });
    expect(e.title).toBe('Recipient phone number not in allowed list');
    expect(errorCodeOf(e)).toBe('131030');
  });

  it('prefers error_user_title, then our table, then Meta message for the title', () => {
    const withUserTitle = errorFromResponse(400, metaBody({ message: 'm', code: 100, error_user_title: 'Bad number' }), 'x') as GraphApiError;
    expect(withUserTitle.title).toBe('Bad number');
    const unknownCode = errorFromResponse(400, metaBody({ message: 'Something odd', code: 987654 }), 'x') as GraphApiError;
    expect(unknownCode.title).toBe('Something odd');
    expect(unknownCode.retryable).toBe(false);
  });

  it('classifies retryable Meta codes by the shared table', () => {
    for (const code of [130429, 131056, 131000, 131016, 131057, 2, 4]) {
      expect(isRetryable(errorFromResponse(400, metaBody({ message: 'x', code }), 'x')), String(code)).toBe(true);
    }
    for (const code of [190, 100, 131030, 131047, 131051, 132000, 132001]) {
      expect(isRetryable(errorFromResponse(400, metaBody({ message: 'x', code }), 'x')), String(code)).toBe(false);
    }
  });

  it('treats is_transient as retryable whatever the code', () => {
    const err = errorFromResponse(500, metaBody({ message: 'x', code: 987654, is_transient: true }), 'x');
    expect(isRetryable(err)).toBe(true);
  });

  it('a 5xx without a Meta body is a retryable http_5xx transport error', () => {
    const err = errorFromResponse(502, '<html>Bad gateway</html>', 'POST /1/messages');
    expect(err).toBeInstanceOf(GraphTransportError);
    expect(err).toMatchObject({ kind: 'http_5xx', httpStatus: 502, retryable: true });
    expect(errorCodeOf(err)).toBe('http_5xx');
  });

  it('a 4xx without a Meta body is an unexpected response, coded by its status', () => {
    const notFound = errorFromResponse(404, 'Not Found', 'GET /x');
    expect(notFound).toBeInstanceOf(GraphApiError);
    expect(errorCodeOf(notFound)).toBe('http_404');
    expect(isRetryable(notFound)).toBe(false);
    expect(isRetryable(errorFromResponse(429, 'slow down', 'GET /x'))).toBe(true);
    expect(errorCodeOf(errorFromResponse(400, JSON.stringify({ error: { code: 'not-a-number' } }), 'x'))).toBe('http_400');
  });

  it('never carries a bearer token or long-lived token in its texts', () => {
    const token = 'EAAG' + 'x'.repeat(40);
    const err = errorFromResponse(
      401,
      metaBody({ message: `Invalid token Bearer ${token}`, code: 190, error_data: { details: `token ${token}` } }),
      'x',
    ) as GraphApiError;
    expect(err.message).not.toContain(token);
    expect(err.details).not.toContain(token);
    const transport = new GraphTransportError('network', `failed with access_token=${token}`);
    expect(transport.message).not.toContain(token);
  });
});

describe('errorCodeOf / isRetryable', () => {
  it('transport failures are coded by kind and always retryable', () => {
    for (const kind of ['timeout', 'network', 'http_5xx'] as const) {
      const err = new GraphTransportError(kind, 'x');
      expect(errorCodeOf(err)).toBe(kind);
      expect(isRetryable(err)).toBe(true);
    }
  });

  it('media too large is final', () => {
    const err = new MediaTooLargeError(10);
    expect(errorCodeOf(err)).toBe('media_too_large');
    expect(isRetryable(err)).toBe(false);
  });

  it('anything else is unknown and not retried', () => {
    expect(errorCodeOf(new Error('boom'))).toBe('unknown');
    expect(isRetryable(new Error('boom'))).toBe(false);
    expect(isRetryable('nope')).toBe(false);
  });
});

describe('what a Meta error means for the outbox', () => {
  const rateLimit = metaBody({ message: '(#80007) There have been too many calls to this WhatsApp Business account.', code: 80007 });

  it('retries 80007 whether Meta answers it with HTTP 400 or 429', () => {
    for (const status of [400, 429]) {
      const err = errorFromResponse(status, rateLimit, 'POST /1/messages') as GraphApiError;
      expect([status, err.kind, isRetryable(err), errorCodeOf(err), err.title]).toEqual([status, 'throttle', true, '80007', 'Rate limit issues']);
    }
  });

  it('calls an expired token (190, subcode 463) a token problem, not a retry', () => {
    const err = errorFromResponse(
      401,
      metaBody({ message: 'Error validating access token: Session has expired on Friday, 04-Dec-26 12:00:00 PST.', code: 190, error_subcode: 463 }),
      'POST /1/messages',
    ) as GraphApiError;
    expect([err.kind, err.subcode, isRetryable(err), isTokenProblem(err)]).toEqual(['auth', 463, false, true]);
    expect(isTokenProblem(errorFromResponse(400, metaBody({ message: 'x', code: 131048 }), 'POST'))).toBe(false);
  });

  it('treats an unknown code answered with 429 as a rate limit', () => {
    const err = errorFromResponse(429, metaBody({ message: 'slow down', code: 777777 }), 'GET /x') as GraphApiError;
    expect([err.kind, err.retryable]).toEqual(['throttle', true]);
  });
});
