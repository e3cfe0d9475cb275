// A real SMTP server over a socket for the browser tests, with an HTTP endpoint the tests
// read messages from: GET /messages?to=ADDRESS returns [{to, body}] oldest first.
import net from 'node:net';
import http from 'node:http';

const SMTP_PORT = Number(process.env.MAILBOX_SMTP_PORT ?? 2525);
const HTTP_PORT = Number(process.env.MAILBOX_HTTP_PORT ?? 2580);
const inbox = [];

function decode(data) {
  const split = data.indexOf('\r\n\r\n');
  const headers = data.slice(0, split).toLowerCase();
  const body = data.slice(split + 4);
  if (headers.includes('content-transfer-encoding: base64')) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (headers.includes('content-transfer-encoding: quoted-printable')) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

net.createServer((socket) => {
  let buffer = '';
  let inData = false;
  let data = '';
  let to = [];
  socket.write('220 mailbox ready\r\n');
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let at;
    while ((at = buffer.indexOf('\r\n')) >= 0) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      if (inData) {
        if (line === '.') {
          inData = false;
          inbox.push({ to, body: decode(Buffer.from(data, 'latin1').toString('latin1')) });
          to = [];
          data = '';
          socket.write('250 queued\r\n');
        } else {
          data += (line.startsWith('..') ? line.slice(1) : line) + '\r\n';
        }
        continue;
      }
      const upper = line.toUpperCase();
      if (upper.startsWith('EHLO')) socket.write('250-mailbox\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
      else if (upper.startsWith('RCPT TO:')) {
        to.push(line.slice(8).trim().replace(/^</, '').replace(/>.*$/, ''));
        socket.write('250 OK\r\n');
      } else if (upper === 'DATA') {
        inData = true;
        socket.write('354 go ahead\r\n');
      } else if (upper === 'QUIT') {
        socket.end('221 bye\r\n');
      } else socket.write('250 OK\r\n');
    }
  });
  socket.on('error', () => {});
}).listen(SMTP_PORT, '127.0.0.1');

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/messages') {
    const to = url.searchParams.get('to');
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(inbox.filter((m) => !to || m.to.includes(to))));
  } else {
    res.statusCode = 200;
    res.end('mailbox');
  }
}).listen(HTTP_PORT, '127.0.0.1');
