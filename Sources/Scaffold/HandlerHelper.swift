/// `aws.mjs`, the module every generated handler imports: the few AWS calls a realtime
/// handler makes, with Node.js's standard library only.
///
/// No AWS SDK and no npm: there may be no registry where the code is written, `sam build`
/// then has nothing to install, and `menort local` runs the folder as it is. Each function's
/// `CodeUri` is its own folder, so each folder gets its own copy of this text.
public enum HandlerHelper {
    /// The module's file name, beside `index.mjs`.
    public static let fileName = "aws.mjs"

    /// The environment variables the module reads: set by Lambda (region, the role's
    /// credentials) or, for the endpoints, by `menort local` and the AWS tooling convention.
    public static let environment = [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL",
    ]

    /// The module's text (Node.js 20 or later, ES module).
    public static let text = #"""
        // aws.mjs: the AWS calls of the realtime handlers, with Node.js's standard library only
        // (SigV4 signatures with node:crypto, requests with the global fetch). No AWS SDK and no
        // npm install: `sam build` has nothing to bundle and `menort local` runs the folder as it
        // is. Each function's CodeUri is its own folder, so each holds a copy of this file;
        // `menort init` writes them all alike.
        //
        // Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, which
        // Lambda sets from the function's role (menort local passes yours, or dummy ones), in
        // AWS_REGION. DynamoDB: AWS_ENDPOINT_URL_DYNAMODB when set (`menort local
        // --dynamodb-endpoint` sets it), else AWS_ENDPOINT_URL, else the region's endpoint.

        import { createHash, createHmac } from 'node:crypto';

        export const region = process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1';

        const sha256 = (data) => createHash('sha256').update(data, 'utf8').digest('hex');
        const hmac = (key, data) => createHmac('sha256', key).update(data, 'utf8').digest();

        // RFC 3986 encoding of one path segment, as SigV4 canonical requests want it.
        const encodeSegment = (segment) =>
          encodeURIComponent(segment).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

        /** The headers of a SigV4-signed request to `service` (lower-case header names in `extra`). */
        function sign(service, method, url, body, extra) {
          const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
          const day = amzDate.slice(0, 8);
          const headers = { ...extra, host: url.host, 'x-amz-content-sha256': sha256(body), 'x-amz-date': amzDate };
          if (process.env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = process.env.AWS_SESSION_TOKEN;
          const names = Object.keys(headers).sort();
          const signedHeaders = names.join(';');
          // Services other than S3 sign the path (already encoded once by URL) encoded again.
          const canonicalPath = url.pathname.split('/').map(encodeSegment).join('/');
          const canonicalRequest = [
            method, canonicalPath, '',
            names.map((name) => `${name}:${headers[name]}\n`).join(''),
            signedHeaders, headers['x-amz-content-sha256'],
          ].join('\n');
          const scope = `${day}/${region}/${service}/aws4_request`;
          const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
          let key = hmac('AWS4' + (process.env.AWS_SECRET_ACCESS_KEY ?? ''), day);
          for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
          const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
          headers.authorization = `AWS4-HMAC-SHA256 Credential=${process.env.AWS_ACCESS_KEY_ID ?? ''}/${scope}, ` +
            `SignedHeaders=${signedHeaders}, Signature=${signature}`;
          delete headers.host; // fetch sends it, from the URL
          return headers;
        }

        // MARK: DynamoDB

        function dynamodbEndpoint() {
          const configured = process.env.AWS_ENDPOINT_URL_DYNAMODB || process.env.AWS_ENDPOINT_URL;
          if (configured) return new URL(configured);
          const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
          return new URL(`https://dynamodb.${region}.${domain}/`);
        }

        /** Calls one DynamoDB operation (its JSON protocol): the answer, or an Error named by DynamoDB's error type. */
        export async function dynamodb(operation, input) {
          const url = dynamodbEndpoint();
          const body = JSON.stringify(input);
          const headers = sign('dynamodb', 'POST', url, body, {
            'content-type': 'application/x-amz-json-1.0',
            'x-amz-target': `DynamoDB_20120810.${operation}`,
          });
          const response = await fetch(url, { method: 'POST', headers, body });
          const text = await response.text();
          if (!response.ok) {
            let type = `HTTP${response.status}`;
            let message = text;
            try {
              const answer = JSON.parse(text);
              type = String(answer.__type ?? type).split('#').pop();
              message = answer.message ?? answer.Message ?? text;
            } catch {
              // not JSON: keep the status and the text
            }
            const error = new Error(`DynamoDB ${operation}: ${type}: ${message}`);
            error.name = type;
            throw error;
          }
          return text ? JSON.parse(text) : {};
        }

        /** A JavaScript value as a DynamoDB attribute value. */
        export function toAttribute(value) {
          if (value === null) return { NULL: true };
          if (typeof value === 'string') return { S: value };
          if (typeof value === 'number' && Number.isFinite(value)) return { N: String(value) };
          if (typeof value === 'boolean') return { BOOL: value };
          if (Array.isArray(value)) return { L: value.map(toAttribute) };
          if (typeof value === 'object') return { M: marshall(value) };
          throw new TypeError(`cannot store ${typeof value} ${String(value)} in DynamoDB`);
        }

        /** A DynamoDB attribute value as a JavaScript value. */
        export function fromAttribute(attribute) {
          const [[type, value]] = Object.entries(attribute);
          switch (type) {
            case 'S': case 'B': case 'BOOL': return value;
            case 'N': return Number(value);
            case 'NULL': return null;
            case 'L': return value.map(fromAttribute);
            case 'M': return unmarshall(value);
            case 'SS': case 'BS': return value;
            case 'NS': return value.map(Number);
            default: throw new TypeError(`unknown DynamoDB attribute type ${type}`);
          }
        }

        /** An object as a DynamoDB item (undefined fields left out). */
        export const marshall = (object) => Object.fromEntries(
          Object.entries(object).filter(([, value]) => value !== undefined).map(([name, value]) => [name, toAttribute(value)]));

        /** A DynamoDB item as an object. */
        export const unmarshall = (item) => Object.fromEntries(
          Object.entries(item).map(([name, attribute]) => [name, fromAttribute(attribute)]));

        /** The item with this key, or null. */
        export async function getItem(table, key) {
          const { Item } = await dynamodb('GetItem', { TableName: table, Key: marshall(key) });
          return Item ? unmarshall(Item) : null;
        }

        /** Writes (or replaces) an item. */
        export async function putItem(table, item) {
          await dynamodb('PutItem', { TableName: table, Item: marshall(item) });
        }

        /** Deletes the item with this key (nothing happens when there is none). */
        export async function deleteItem(table, key) {
          await dynamodb('DeleteItem', { TableName: table, Key: marshall(key) });
        }

        /**
         * The items whose key attributes equal `where` ({name: value}), page after page, up to
         * `options.Limit` when given; `options` adds IndexName, ScanIndexForward, Limit.
         */
        export async function query(table, where, options = {}) {
          const names = {};
          const values = {};
          const conditions = Object.entries(where).map(([name, value], index) => {
            names[`#k${index}`] = name;
            values[`:k${index}`] = toAttribute(value);
            return `#k${index} = :k${index}`;
          });
          const items = [];
          let start;
          do {
            const page = await dynamodb('Query', {
              TableName: table, KeyConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names, ExpressionAttributeValues: values, ExclusiveStartKey: start, ...options,
            });
            items.push(...(page.Items ?? []).map(unmarshall));
            start = page.LastEvaluatedKey;
          } while (start && !(options.Limit && items.length >= options.Limit));
          return options.Limit ? items.slice(0, options.Limit) : items;
        }

        // MARK: API Gateway Management API

        /**
         * Posts `payload` (JSON unless a string) to one WebSocket connection through the
         * Management API at `endpoint` (the function's MANAGEMENT_ENDPOINT): true when it was
         * delivered, false when the connection is gone (410: closed, its $disconnect maybe not
         * yet run). Any other answer throws.
         */
        export async function postToConnection(endpoint, connectionId, payload) {
          const url = new URL(`${endpoint.replace(/\/+$/, '')}/@connections/${encodeURIComponent(connectionId)}`);
          const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
          const headers = sign('execute-api', 'POST', url, body, { 'content-type': 'application/json' });
          const response = await fetch(url, { method: 'POST', headers, body });
          if (response.status === 410) return false;
          if (!response.ok) {
            throw new Error(`PostToConnection ${connectionId}: HTTP ${response.status} ${await response.text()}`);
          }
          return true;
        }

        """#
}
