// A minimal Graph-like endpoint in its own process, so the client's CPU is measured alone.
import http from 'node:http';

const body = JSON.stringify({ id: 'user-1', displayName: 'User 1', userPrincipalName: 'user1@contoso.test' });
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'r' });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
