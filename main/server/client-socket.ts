// The server side of one browser connection. When a client breaks the protocol (a message over the
// size limit, invalid UTF-8, a malformed frame), `ws` closes the connection with a status code but no
// reason, before it reports the error: this class adds the reason, so the page can say what happened.

import { WebSocket } from 'ws';

export const MAX_MESSAGE_BYTES = 1024 * 1024;

// A close reason is at most 123 bytes.
const PROTOCOL_CLOSE_REASONS: Readonly<Record<number, string>> = {
  1002: 'protocol error: malformed WebSocket frame',
  1007: 'invalid message: text is not valid UTF-8',
  1008: 'message refused: too many fragments',
  1009: `message too big: the limit is ${MAX_MESSAGE_BYTES / (1024 * 1024)} MiB`,
};

export class ApiClientSocket extends WebSocket {
  override close(code?: number, reason?: string | Buffer): void {
    super.close(code, reason ?? (code === undefined ? undefined : PROTOCOL_CLOSE_REASONS[code]));
  }
}
