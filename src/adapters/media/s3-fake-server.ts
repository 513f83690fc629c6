import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  data: Buffer;
  contentType: string;
  lastModified: Date;
}

/** Objects per page of ListObjectsV2, small so that the adapter's paging is exercised. */
const listPage = 2;

/**
 * A few S3 operations over HTTP, path-style and unauthenticated, held in memory: PUT (and CopyObject onto
 * itself), HEAD, GET (one `Range`), DELETE of an object and ListObjectsV2 of a bucket. Only for testing the S3 adapter's requests and its reading
 * of the answers in-process; it is not S3, and the contract run against a real server (TEST_S3_URL) stays the
 * proof.
 */
export async function startS3FakeServer() {
  const objects = new Map<string, StoredObject>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks)));
  });

  function answer(request: IncomingMessage, response: ServerResponse, body: Buffer) {
    const url = new URL(request.url ?? '/', 'http://fake');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const id = `${bucket}/${key}`;
    if (request.method === 'GET' && key === '' && url.searchParams.get('list-type') === '2')
      return list(response, bucket!, url.searchParams);
    const found = objects.get(id);
    switch (request.method) {
      case 'PUT':
        if (request.headers['x-amz-copy-source']) return copy(response, id, request);
        objects.set(id, {
          data: body,
          contentType: request.headers['content-type'] ?? 'application/octet-stream',
          lastModified: new Date(),
        });
        return response.writeHead(200, { etag: '"fake"' }).end();
      case 'DELETE':
        objects.delete(id);
        return response.writeHead(204).end();
      case 'HEAD':
        if (!found) return response.writeHead(404).end();
        return response.writeHead(200, headersOf(found, found.data.length)).end();
      case 'GET': {
        if (!found) return response.writeHead(404, { 'content-type': 'application/xml' }).end(noSuchKey);
        const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
        if (!range) return response.writeHead(200, headersOf(found, found.data.length)).end(found.data);
        const start = Number(range[1]);
        const end = Math.min(Number(range[2]), found.data.length - 1);
        return response
          .writeHead(206, {
            ...headersOf(found, end - start + 1),
            'content-range': `bytes ${start}-${end}/${found.data.length}`,
          })
          .end(found.data.subarray(start, end + 1));
      }
      default:
        return response.writeHead(405).end();
    }
  }

  /** CopyObject, here only onto the object itself (what the adapter does to renew LastModified). */
  function copy(response: ServerResponse, id: string, request: IncomingMessage) {
    const source = decodeURIComponent(String(request.headers['x-amz-copy-source']).replace(/^\//, ''));
    const found = objects.get(source);
    if (!found) return response.writeHead(404, { 'content-type': 'application/xml' }).end(noSuchKey);
    const lastModified = new Date();
    const contentType = request.headers['content-type'] ?? found.contentType;
    objects.set(id, { data: found.data, contentType, lastModified });
    return response
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><LastModified>${lastModified.toISOString()}</LastModified><ETag>"fake"</ETag></CopyObjectResult>`,
      );
  }

  function list(response: ServerResponse, bucket: string, query: URLSearchParams) {
    const prefix = `${bucket}/${query.get('prefix') ?? ''}`;
    const keys = [...objects.keys()].filter((id) => id.startsWith(prefix)).sort();
    const from = Number(query.get('continuation-token') ?? 0);
    const page = keys.slice(from, from + listPage);
    const truncated = from + listPage < keys.length;
    const contents = page
      .map((id) => {
        const object = objects.get(id)!;
        const key = id.slice(bucket.length + 1);
        return `<Contents><Key>${key}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><Size>${object.data.length}</Size></Contents>`;
      })
      .join('');
    response
      .writeHead(200, { 'content-type': 'application/xml' })
      .end(
        `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><KeyCount>${page.length}</KeyCount>` +
          `<IsTruncated>${truncated}</IsTruncated>${truncated ? `<NextContinuationToken>${from + listPage}</NextContinuationToken>` : ''}${contents}</ListBucketResult>`,
      );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const headersOf = (object: StoredObject, length: number) => ({
  'content-type': object.contentType,
  'content-length': String(length),
  'last-modified': object.lastModified.toUTCString(),
  'accept-ranges': 'bytes',
});

const noSuchKey =
  '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>';
