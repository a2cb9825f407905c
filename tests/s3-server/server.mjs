// A real S3-compatible server for the S3 datastore tests: s3rver (run node with --openssl-legacy-provider: its
// continuation tokens use DES), plus one middleware in front of it. AWSSDK.S3 v4 sends request bodies with
// `Content-Encoding: aws-chunked` (size-prefixed chunks and a trailing checksum); s3rver would store those bytes
// verbatim, so the middleware decodes them first; and its listing is corrected for deep "folders" (below). The
// product's S3 code is not changed for the test server.
//
//   node --openssl-legacy-provider server.mjs <directory> <bucket> [port]
// prints "listening <port>" once ready and serves until stdin closes.
import S3rver from 's3rver';
import { Transform } from 'node:stream';

const [directory, bucket, port = '0'] = process.argv.slice(2);
if (!directory || !bucket) {
  console.error('usage: server.mjs <directory> <bucket> [port]');
  process.exit(2);
}

/** Decodes an aws-chunked body: "<hex size>[;extensions]\r\n<data>\r\n" ... "0\r\n<trailers>\r\n\r\n". */
function awsChunkedDecoder() {
  let state = 'size';
  let line = '';
  let remaining = 0;
  let crlf = 0;
  return new Transform({
    transform(chunk, _encoding, done) {
      let i = 0;
      while (i < chunk.length) {
        if (state === 'size') {
          const c = chunk[i++];
          if (c === 0x0a) {
            remaining = parseInt(line.split(';')[0].trim(), 16);
            line = '';
            state = remaining === 0 ? 'trailer' : 'data';
          } else if (c !== 0x0d) {
            line += String.fromCharCode(c);
          }
        } else if (state === 'data') {
          const take = Math.min(remaining, chunk.length - i);
          this.push(chunk.subarray(i, i + take));
          i += take;
          remaining -= take;
          if (remaining === 0) {
            state = 'crlf';
            crlf = 2;
          }
        } else if (state === 'crlf') {
          i++;
          if (--crlf === 0) {
            state = 'size';
          }
        } else {
          i = chunk.length; // trailers (checksums) are not part of the object
        }
      }
      done();
    },
  });
}

const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  silent: process.env.S3_SERVER_LOG !== '1',
  directory,
  allowMismatchedSignatures: true,
  configureBuckets: [{ name: bucket }],
});

// s3rver's filesystem store stops walking below the first delimiter after the prefix, so a "folder" whose objects all
// sit two or more levels deeper is never reported as a common prefix (S3 reports it). List recursively, then group.
const listObjects = server.store.listObjects.bind(server.store);
server.store.listObjects = async (bucketName, options) => {
  const { delimiter = '', prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) {
    return listObjects(bucketName, options);
  }
  const all = await listObjects(bucketName, { ...options, delimiter: '', maxKeys: Infinity });
  const commonPrefixes = new Set();
  const objects = [];
  let isTruncated = false;
  for (const object of all.objects) {
    const index = object.key.slice(prefix.length).indexOf(delimiter);
    if (index !== -1) {
      commonPrefixes.add(object.key.slice(0, prefix.length + index + 1));
    } else if (objects.length < maxKeys) {
      objects.push(object);
    } else {
      isTruncated = true;
    }
  }
  return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
};

// First in the chain, before s3rver's own middleware reads the body.
server.middleware.unshift(async (ctx, next) => {
  const encoding = ctx.req.headers['content-encoding'] ?? '';
  const sha = ctx.req.headers['x-amz-content-sha256'] ?? '';
  if (encoding.includes('aws-chunked') || sha.startsWith('STREAMING-')) {
    const headers = { ...ctx.req.headers };
    const decodedLength = headers['x-amz-decoded-content-length'];
    if (decodedLength !== undefined) {
      headers['content-length'] = decodedLength;
    }
    const rest = encoding.split(',').map(e => e.trim()).filter(e => e && e !== 'aws-chunked');
    if (rest.length > 0) {
      headers['content-encoding'] = rest.join(',');
    } else {
      delete headers['content-encoding'];
    }
    delete headers['x-amz-decoded-content-length'];
    delete headers['x-amz-trailer'];
    headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    const decoded = ctx.req.pipe(awsChunkedDecoder());
    decoded.headers = headers;
    decoded.method = ctx.req.method;
    decoded.url = ctx.req.url;
    decoded.socket = ctx.req.socket;
    decoded.connection = ctx.req.socket;
    ctx.req = decoded;
    ctx.request.req = decoded;
  }
  // s3rver reads x-amz-copy-source unescaped; the SDK escapes it: re-escape consistently.
  const copySource = ctx.req.headers['x-amz-copy-source'];
  if (copySource) {
    ctx.req.headers['x-amz-copy-source'] = encodeURI(decodeURIComponent(copySource));
  }
  await next();
});

const address = await server.run();
console.log(`listening ${address.port}`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
