// The part of tar-stream 3 (which ships no types) that reports/bundle.ts uses.
declare module "tar-stream" {
  import type { Readable } from "node:stream";
  export interface Headers {
    name: string;
    size?: number;
    mode?: number;
    mtime?: Date;
    type?: "file" | "directory";
  }
  export interface Pack extends Readable {
    entry(header: Headers, buffer: Buffer | string, callback?: (err?: Error | null) => void): unknown;
    finalize(): void;
  }
  export interface Entry extends Readable {}
  export interface Extract extends NodeJS.WritableStream {
    on(event: "entry", listener: (header: Headers, stream: Entry, next: () => void) => void): this;
    on(event: "finish", listener: () => void): this;
    on(event: "error", listener: (err: Error) => void): this;
  }
  export function pack(): Pack;
  export function extract(): Extract;
}
