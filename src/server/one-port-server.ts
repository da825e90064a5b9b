// One TCP port that serves HTTP/1.1 and cleartext HTTP/2 (h2c with prior knowledge). The default
// @aws-sdk/client-bedrock-runtime client speaks h2c while the control-plane client speaks HTTP/1.1, so the
// first bytes of each connection decide: the HTTP/2 preface starts with "PRI " — no HTTP/1 method does.
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { Duplex } from "node:stream";

export type CompatibleRequest = http.IncomingMessage | http2.Http2ServerRequest;
export type CompatibleResponse = http.ServerResponse | http2.Http2ServerResponse;
export type RequestListener = (request: CompatibleRequest, response: CompatibleResponse) => void;

export interface OnePortServer {
  host: string;
  port: number;
  close(): Promise<void>;
}

const http2Preface = Buffer.from("PRI ");

export async function listenOnePort(options: {
  host: string;
  port: number;
  listener: RequestListener;
}): Promise<OnePortServer> {
  const http1Server = http.createServer({ keepAliveTimeout: 65_000 }, options.listener);
  const http2Server = http2.createServer({}, options.listener);
  const sockets = new Set<net.Socket>();

  const tcpServer = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < http2Preface.length && http2Preface.subarray(0, received.length).equals(received))
        return;
      socket.off("data", onData);
      socket.pause();
      if (received.subarray(0, http2Preface.length).equals(http2Preface)) {
        // node's HTTP/2 session reads from the socket's native handle, so bytes already read cannot be
        // unshifted back; it accepts any Duplex, though, and this one replays them first.
        http2Server.emit("connection", new ReplayingSocket(socket, received));
      } else {
        socket.unshift(received);
        http1Server.emit("connection", socket);
        socket.resume();
      }
    };
    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    tcpServer.once("error", reject);
    tcpServer.listen(options.port, options.host, () => resolve());
  });
  const address = tcpServer.address() as net.AddressInfo;

  return {
    host: options.host,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        tcpServer.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        http1Server.close();
        http2Server.close();
      }),
  };
}

/** A Duplex over a socket whose first bytes were already consumed: it yields them again, then the rest. */
class ReplayingSocket extends Duplex {
  constructor(
    private readonly socket: net.Socket,
    head: Buffer,
  ) {
    super();
    this.push(head);
    socket.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) socket.pause();
    });
    socket.on("end", () => this.push(null));
    socket.on("close", () => this.destroy());
    socket.on("error", (error) => this.destroy(error));
  }

  get remoteAddress(): string | undefined {
    return this.socket.remoteAddress;
  }

  get remotePort(): number | undefined {
    return this.socket.remotePort;
  }

  setTimeout(milliseconds: number, callback?: () => void): this {
    this.socket.setTimeout(milliseconds, callback);
    return this;
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy(error ?? undefined);
    callback(error);
  }
}
