// Docker's multiplexed (non-TTY) log format: each frame is an 8-byte header [stream, 0, 0, 0, size(4)]
// followed by its payload. Read once here for every place that fetches container logs as a buffer.

export interface LogFrame {
  stream: 'stdout' | 'stderr';
  payload: Buffer;
}

export function logFrames(buffer: Buffer): LogFrame[] {
  const frames: LogFrame[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    frames.push({ stream: buffer[offset] === 2 ? 'stderr' : 'stdout', payload: buffer.subarray(offset + 8, offset + 8 + size) });
    offset += 8 + size;
  }
  return frames;
}

/** Both streams joined in the order they were written. */
export function logText(buffer: Buffer): string {
  return Buffer.concat(logFrames(buffer).map((f) => f.payload)).toString('utf8');
}

/** The two streams apart. */
export function logStreams(buffer: Buffer): { stdout: string; stderr: string } {
  const frames = logFrames(buffer);
  const text = (stream: LogFrame['stream']) => Buffer.concat(frames.filter((f) => f.stream === stream).map((f) => f.payload)).toString('utf8');
  return { stdout: text('stdout'), stderr: text('stderr') };
}
