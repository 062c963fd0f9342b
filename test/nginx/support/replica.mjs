// Test helper: one replica of a stand-in service in a process of its own, so a test can stop and
// start it as a deploy does. argv: <name> <port>. Answers every request with {"replica": name}
// after a short delay (so requests are in flight when it stops). On SIGTERM it stops accepting,
// answers what still arrives on open connections with 503 and `Connection: close` (as Fastify does
// while closing), finishes what it holds and exits. Prints "ready" when listening.
import http from 'node:http';

const [name, port] = process.argv.slice(2);
let closing = false;
const server = http.createServer((req, res) => {
  req.resume();
  if (closing) {
    res.writeHead(503, { 'content-type': 'application/json', connection: 'close' });
    res.end('{"error":{"code":"UNAVAILABLE","message":"closing"}}');
    return;
  }
  setTimeout(() => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ replica: name }));
  }, 20);
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  closing = true;
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
