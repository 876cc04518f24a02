/**
 * A lean keep-alive HTTP client for load loops: `node:http` with a bounded agent, cheaper per call
 * than `fetch`, so the load generator is less likely than the emulator to be the bottleneck.
 */
import { Agent, request } from 'node:http';

export function leanClient(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const client = {
    /**
     * Sends one request and resolves to the envelope's `data`, rejecting on an error envelope. A
     * request that fails on a reused keep-alive socket (the server closed it while idle, a race
     * every keep-alive client has) is sent once more on a fresh one, as Node's docs advise.
     */
    call<T>(method: 'GET' | 'POST', url: string, headers: Record<string, string>, body?: string, retried = false): Promise<T> {
      return new Promise((resolve, reject) => {
        const req = request(url, { method, agent, headers: body === undefined ? headers : { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            try {
              const envelope = JSON.parse(text) as { error: { code: string; message: string }; data: T };
              if (envelope.error.code !== '') reject(new Error(`${url}: ${envelope.error.code} ${envelope.error.message}`));
              else resolve(envelope.data);
            } catch (error) {
              reject(error);
            }
          });
          res.on('error', reject);
        });
        req.on('error', (error: NodeJS.ErrnoException) => {
          if (req.reusedSocket && !retried && (error.code === 'ECONNRESET' || error.message === 'socket hang up')) {
            client.call<T>(method, url, headers, body, true).then(resolve, reject);
          } else {
            reject(error);
          }
        });
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
  return client;
}
