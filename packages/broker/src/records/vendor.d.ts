// Type declarations for the pure-JavaScript decompressors the broker uses (they ship none).
declare module 'snappyjs' {
  export function uncompress<T extends Uint8Array>(compressed: T, maxLength?: number): T;
}
declare module 'lz4js' {
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}
