'use strict';
// $default: messages whose `action` matches no route, and messages that are not JSON.
// Answers the sender through the API Gateway Management API (PostToConnection), with
// Node's standard library only: fetch, and a SigV4 signature made with node:crypto, so the
// same code works against API Gateway (which requires the signature) and `menort local`.
//
// Sender ← {"error": "unknown action", "action": <the action, or null>, "received": <the raw
//            message>, "connectionId": …, "requestId": …}

const crypto = require('node:crypto');

const sha256Hex = (data) => crypto.createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data, 'utf8').digest();

// RFC 3986 encoding of one path segment, as SigV4 canonical requests want it.
const encodeSegment = (segment) =>
  encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Headers of a SigV4-signed request to execute-api (the credentials Lambda gives the function). */
function sign(method, url, body) {
  const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers = {
    'content-type': 'application/json',
    host: url.host,
    'x-amz-content-sha256': sha256Hex(body),
    'x-amz-date': amzDate,
  };
  if (process.env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = process.env.AWS_SESSION_TOKEN;
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(';');
  // Services other than S3 encode the (already encoded) path a second time.
  const canonicalPath = url.pathname.split('/').map(encodeSegment).join('/');
  const canonicalRequest = [
    method, canonicalPath, '',
    names.map((name) => `${name}:${headers[name]}\n`).join(''),
    signedHeaders, headers['x-amz-content-sha256'],
  ].join('\n');
  const scope = `${day}/${region}/execute-api/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac('AWS4' + (process.env.AWS_SECRET_ACCESS_KEY || ''), day);
  for (const part of [region, 'execute-api', 'aws4_request']) key = hmac(key, part);
  const signature = crypto.createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID || ''}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  delete headers.host; // fetch sets it from the URL
  return headers;
}

async function postToConnection(connectionId, payload) {
  const url = new URL(`${process.env.MANAGEMENT_ENDPOINT}/@connections/${encodeURIComponent(connectionId)}`);
  const body = JSON.stringify(payload);
  const response = await fetch(url, { method: 'POST', headers: sign('POST', url, body), body });
  if (response.status === 410) {
    console.log(`gone: ${connectionId}`);
    return;
  }
  if (!response.ok) {
    throw new Error(`PostToConnection ${connectionId}: HTTP ${response.status} ${await response.text()}`);
  }
}

exports.handler = async (event) => {
  const { connectionId, requestId } = event.requestContext;
  let action = null;
  try {
    const message = JSON.parse(event.body);
    if (message && typeof message === 'object' && typeof message.action === 'string') action = message.action;
  } catch {
    // not JSON: API Gateway routes it here too
  }
  console.log(`unknown action ${JSON.stringify(action)} from ${connectionId}`);
  await postToConnection(connectionId, {
    error: 'unknown action',
    action,
    received: event.body,
    connectionId,
    requestId,
  });
  return { statusCode: 200 };
};
